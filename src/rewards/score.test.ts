// Checks whole-rollout scoring on hand-written completions: format failure, ±1 correctness per task kind, partial credit, overlong shaping, the tool factor and group scoring. Node, no GPU.
import { describe, expect, it } from "vitest";
import { SEARCH_R1_TAGS } from "./format";
import { NoGoldError, scoreGroup, scoreRollout } from "./score";

const tapo = (answer: string, calls = 0) =>
  `<think>working</think>\n${"<search>q</search>\n\n<response>Doc 1: x</response>\n\n".repeat(calls)}<answer>${answer}</answer>`;

describe("scoreRollout", () => {
  it("gives +1 for a right answer and −1 for a wrong one, by task kind", () => {
    expect(scoreRollout(tapo("\\boxed{\\frac{1}{2}}"), ["0.5"], "math")).toEqual({ total: 1, correct: true, format: true, overlong: 0 });
    expect(scoreRollout(tapo("120"), ["12"], "math")).toEqual({ total: -1, correct: false, format: true, overlong: 0 });
    expect(scoreRollout(tapo("The Eiffel Tower"), ["eiffel tower"], "qa").correct).toBe(true);
    expect(scoreRollout(tapo("Louvre"), ["Eiffel Tower", "Louvre Museum", "louvre"], "qa").total).toBe(1);
    expect(scoreRollout(tapo("101.5"), ["100"], "calc").total).toBe(1);
    expect(scoreRollout(tapo("101.5"), ["100"], "math").total).toBe(-1);
  });

  it("gives −1 and not correct when the format fails, even with the right answer", () => {
    const r = scoreRollout(`${tapo("42")} Done!`, ["42"], "math");
    expect(r).toEqual({ total: -1, correct: false, format: false, overlong: 0 });
    expect(scoreRollout("<think><think>x</think></think><answer>42</answer>", ["42"], "math").format).toBe(false);
    expect(scoreRollout("The answer is 42.", ["42"], "math").total).toBe(-1);
  });

  it("uses the format's tags", () => {
    const r1 = "<search>q</search><information>x</information><answer>Paris</answer>";
    expect(scoreRollout(r1, ["paris"], "qa", { tags: SEARCH_R1_TAGS }).total).toBe(1);
    expect(scoreRollout(r1, ["paris"], "qa").total).toBe(-1);
  });

  it("QA modes: substring by default, exact on request, F1 mapped to 2·F1 − 1", () => {
    const text = tapo("the Eiffel Tower, Paris");
    expect(scoreRollout(text, ["Eiffel Tower"], "qa").total).toBe(1);
    expect(scoreRollout(text, ["Eiffel Tower"], "qa", { qaMatch: "exact" }).total).toBe(-1);
    const f1 = scoreRollout(text, ["Eiffel Tower"], "qa", { qaMatch: "f1" });
    expect(f1.total).toBeCloseTo(2 * 0.8 - 1, 12);
    expect(f1.correct).toBe(false);
    expect(scoreRollout(tapo("Eiffel Tower"), ["Eiffel Tower"], "qa", { qaMatch: "f1" }).correct).toBe(true);
  });

  it("adds the overlong penalty on policy tokens to every outcome", () => {
    const overlong = { policyTokens: 90, maxTokens: 100, cacheTokens: 20 };
    const right = scoreRollout(tapo("7"), ["7"], "math", { overlong });
    expect(right.overlong).toBeCloseTo(-0.5, 12);
    expect(right.total).toBeCloseTo(0.5, 12);
    expect(right.correct).toBe(true);
    expect(scoreRollout(tapo("8"), ["7"], "math", { overlong }).total).toBeCloseTo(-1.5, 12);
    expect(scoreRollout("<think>cut", ["7"], "math", { overlong: { ...overlong, policyTokens: 101 } }).total).toBe(-2);
  });

  it("scales only a positive correctness reward by the tool factor", () => {
    const right = scoreRollout(tapo("7", 4), ["7"], "math", { toolEfficiency: { calls: 4, fewestCorrectCalls: 2 } });
    expect(right.tool).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(right.total).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(right.correct).toBe(true);
    const wrong = scoreRollout(tapo("8", 4), ["7"], "math", { toolEfficiency: { calls: 4, fewestCorrectCalls: 2 } });
    expect(wrong.total).toBe(-1);
    expect(scoreRollout(tapo("7"), ["7"], "math").tool).toBeUndefined();
  });

  it("refuses to score without a gold answer", () => {
    expect(() => scoreRollout(tapo("7"), [], "math")).toThrow(NoGoldError);
    expect(() => scoreRollout("bad", ["  "], "qa")).toThrow(/at least one non-empty answer/);
  });
});

describe("scoreGroup", () => {
  it("finds the fewest calls among correct rollouts and scales the others", () => {
    const group = [
      { text: tapo("7", 1), policyTokens: 10 },
      { text: tapo("7", 3), policyTokens: 10 },
      { text: tapo("9", 0), policyTokens: 10 },
      { text: `${tapo("7", 0)} trailing`, policyTokens: 10 },
    ];
    const scores = scoreGroup(group, ["7"], "math", { toolEfficiency: {} });
    // n = 1 (the wrong 0-call rollout and the malformed one do not count); m = 3: f = 1.5, sin(3π/4).
    expect(scores.map((s) => s.tool)).toEqual([1, expect.closeTo(Math.SQRT1_2, 12), 0, 0]);
    expect(scores.map((s) => s.total)).toEqual([1, expect.closeTo(Math.SQRT1_2, 12), -1, -1]);
    expect(scores.map((s) => s.correct)).toEqual([true, true, false, false]);
  });

  it("applies overlong shaping per rollout and refuses a missing token count", () => {
    const scores = scoreGroup(
      [
        { text: tapo("7"), policyTokens: 50 },
        { text: tapo("7"), policyTokens: 95 },
      ],
      ["7"],
      "math",
      { overlong: { maxTokens: 100, cacheTokens: 10 } },
    );
    expect(scores[0]?.total).toBe(1);
    expect(scores[1]?.total).toBeCloseTo(0.5, 12);
    expect(() => scoreGroup([{ text: tapo("7") }], ["7"], "math", { overlong: { maxTokens: 100, cacheTokens: 10 } })).toThrow(/policyTokens/);
    expect(scoreGroup([{ text: tapo("7") }], ["7"], "math")[0]?.tool).toBeUndefined();
  });
});
