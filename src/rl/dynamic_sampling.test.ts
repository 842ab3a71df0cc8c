// Checks dynamic sampling (Node, no GPU): only mixed groups are kept, rounds stop at the target, the cap pads with uninformative groups, and the kept ratio.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { type GroupOutcome, isInformative, sampleDynamically } from "./dynamic_sampling";

type Group = GroupOutcome & { id: string };

/** A generator that replays scripted rounds ("m" mixed, "r" all right, "w" all wrong) and records its calls. */
function scripted(rounds: string[]) {
  const calls: { round: number; needed: number }[] = [];
  const generate = async (round: number, needed: number): Promise<Group[]> => {
    calls.push({ round, needed });
    const script = rounds[round - 1] ?? "";
    return [...script].map((c, i) => ({
      id: `${round}.${i}${c}`,
      acc: c === "m" ? [true, false, true] : c === "r" ? [true, true, true] : [false, false, false],
    }));
  };
  return { generate, calls };
}

describe("isInformative", () => {
  it("is true only when acc values differ", () => {
    expect(isInformative({ acc: [true, true, false] })).toBe(true);
    expect(isInformative({ acc: [false, true] })).toBe(true);
    expect(isInformative({ acc: [true, true] })).toBe(false);
    expect(isInformative({ acc: [false, false, false] })).toBe(false);
  });
});

describe("sampleDynamically", () => {
  it("keeps exactly the mixed groups and stops once the target is reached", async () => {
    const { generate, calls } = scripted(["mrwm", "wmrr", "mmm", "mmmm"]);
    const out = await sampleDynamically(generate, { targetGroups: 4, maxRounds: 10 });
    expect(out.groups.map((g) => g.id)).toEqual(["1.0m", "1.3m", "2.1m", "3.0m"]);
    expect(out.groups.every(isInformative)).toBe(true);
    expect(out.rounds).toBe(3);
    expect(calls).toEqual([{ round: 1, needed: 4 }, { round: 2, needed: 2 }, { round: 3, needed: 1 }]);
    expect(out.generated).toBe(11);
    expect(out.informative).toBe(6);
    expect(out.keptRatio).toBeCloseTo(6 / 11, 12);
    expect(out.padded).toBe(0);
    expect(out.missing).toBe(0);
  });

  it("pads with uninformative groups, earliest first, at the cap on rounds", async () => {
    const { generate, calls } = scripted(["rwm", "rr", "wm", "mmmm"]);
    const out = await sampleDynamically(generate, { targetGroups: 5, maxRounds: 3 });
    expect(calls.length).toBe(3);
    expect(out.groups.map((g) => g.id)).toEqual(["1.2m", "3.1m", "1.0r", "1.1w", "2.0r"]);
    expect(out.padded).toBe(3);
    expect(out.informative).toBe(2);
    expect(out.keptRatio).toBeCloseTo(2 / 7, 12);
    expect(out.missing).toBe(0);
  });

  it("reports what is missing when even padding cannot fill the batch", async () => {
    const { generate } = scripted(["r", "", "m"]);
    const out = await sampleDynamically(generate, { targetGroups: 4, maxRounds: 3 });
    expect(out.groups.map((g) => g.id)).toEqual(["3.0m", "1.0r"]);
    expect(out.missing).toBe(2);
  });

  it("on random rounds, holds min(target, all generated) groups, informative ones first", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let k = 0; k < 30; k++) {
      const rounds = Array.from({ length: 6 }, () => Array.from({ length: Math.floor(rand() * 6) }, () => "mrw"[Math.floor(rand() * 3)]).join(""));
      const target = 1 + Math.floor(rand() * 8);
      const maxRounds = 1 + Math.floor(rand() * 6);
      const out = await sampleDynamically(scripted(rounds).generate, { targetGroups: target, maxRounds });
      const ran = rounds.slice(0, out.rounds).join("");
      const mixed = [...ran].filter((c) => c === "m").length;
      const where = `seed ${seed}, rounds ${JSON.stringify(rounds)}, target ${target}, cap ${maxRounds}`;
      expect(out.groups.length, where).toBe(Math.min(target, ran.length));
      expect(out.informative, where).toBe(mixed);
      const firstPad = out.groups.findIndex((g) => !isInformative(g));
      if (firstPad >= 0) expect(out.groups.slice(firstPad).some(isInformative), where).toBe(false);
      if (mixed < target) expect(out.rounds, where).toBe(maxRounds);
      expect(out.padded, where).toBe(out.groups.length - Math.min(mixed, target));
    }
  });

  it("refuses a target or cap below 1", async () => {
    const { generate } = scripted(["m"]);
    await expect(sampleDynamically(generate, { targetGroups: 0, maxRounds: 3 })).rejects.toThrow(/targetGroups/);
    await expect(sampleDynamically(generate, { targetGroups: 1, maxRounds: 0 })).rejects.toThrow(/maxRounds/);
  });
});
