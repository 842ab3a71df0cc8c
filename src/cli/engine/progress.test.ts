// Checks the CLI's progress records: at most one a second within a phase, always the phase's last, a new phase
// or step starts its own clock, and the rate and time left follow from the units done so far. Node, no GPU.
import { describe, expect, it } from "vitest";
import { progressReporter, type ProgressRecord } from "./progress";

describe("progressReporter", () => {
  it("throttles to one record a second per phase, keeps the last, and computes rate and time left", () => {
    let t = 0;
    const out: ProgressRecord[] = [];
    const report = progressReporter((r) => out.push(r as ProgressRecord), () => t);
    report("generate", 1, 0, 8); // t = 0: the first record of the phase
    t = 500;
    report("generate", 1, 2, 8); // within the second: dropped
    t = 2000;
    report("generate", 1, 4, 8); // 4 done in 2 s: 2/s, 2 s left
    t = 2100;
    report("generate", 1, 8, 8); // the last: always kept
    expect(out.map((r) => [r.done, r.per_second, r.seconds_left])).toEqual([
      [0, 0, null],
      [4, 2, 2],
      [8, 3.81, 0],
    ]);
    report("update", 1, 1, 2); // a new phase starts its own clock at once
    t = 2600;
    report("generate", 2, 3, 8); // and so does a new step
    expect(out.slice(3).map((r) => [r.phase, r.step, r.done, r.total])).toEqual([
      ["update", 1, 1, 2],
      ["generate", 2, 3, 8],
    ]);
    // The same phase and step counting again from fewer (the sampled evaluation after the greedy one): a new clock.
    t = 10_000;
    report("eval", 2, 8, 8);
    t = 10_500;
    report("eval", 2, 0, 32);
    t = 12_500;
    report("eval", 2, 8, 32);
    expect(out.slice(-2).map((r) => [r.done, r.total, r.per_second, r.seconds_left])).toEqual([
      [0, 32, 0, null],
      [8, 32, 4, 6],
    ]);
    expect(out.every((r) => r.event === "progress")).toBe(true);
  });
});
