// Checks the learning-rate schedule (Node, no GPU): linear warm-up values, then constant or cosine.
import { describe, expect, it } from "vitest";
import { learningRate } from "./schedule";

describe("learningRate", () => {
  it("rises linearly over the warm-up from peak/warmup at step 0 to the peak at step warmup − 1, then stays", () => {
    const s = { peak: 1e-5, warmupSteps: 10, kind: "constant" as const };
    for (let step = 0; step < 10; step++) expect(learningRate(step, s)).toBeCloseTo((1e-5 * (step + 1)) / 10, 18);
    expect(learningRate(0, s)).toBeGreaterThan(0);
    expect(learningRate(9, s)).toBeCloseTo(1e-5, 18);
    for (const step of [10, 11, 500]) expect(learningRate(step, s)).toBe(1e-5);
  });

  it("uses the peak from step 0 without warm-up", () => {
    expect(learningRate(0, { peak: 3e-4, warmupSteps: 0, kind: "constant" })).toBe(3e-4);
  });

  it("decays by a half cosine to the floor at the last step", () => {
    const s = { peak: 2e-5, warmupSteps: 2, kind: "cosine" as const, totalSteps: 12, minRatio: 0.1 };
    expect(learningRate(1, s)).toBeCloseTo(2e-5, 18);
    expect(learningRate(2, s)).toBeCloseTo(2e-5, 18);
    expect(learningRate(11, s)).toBeCloseTo(2e-6, 18);
    // The decay spans steps 2..11 (9 steps); step 6 is 4/9 of the way.
    expect(learningRate(6, s)).toBeCloseTo(2e-6 + 1.8e-5 * 0.5 * (1 + Math.cos((Math.PI * 4) / 9)), 18);
    for (let step = 3; step < 12; step++) expect(learningRate(step, s)).toBeLessThan(learningRate(step - 1, s));
  });

  it("refuses a negative step and a cosine without totalSteps", () => {
    expect(() => learningRate(-1, { peak: 1, warmupSteps: 0, kind: "constant" })).toThrow(RangeError);
    expect(() => learningRate(5, { peak: 1, warmupSteps: 0, kind: "cosine" })).toThrow(/totalSteps/);
  });
});
