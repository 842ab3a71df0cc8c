// Checks the OTC-style tool-efficiency factor: 1 at the group's fewest correct calls, falling with more calls, hand-computed points, and the group minimum. Node, no GPU.
import { describe, expect, it } from "vitest";
import { fewestCorrectCalls, toolEfficiency } from "./tool_efficiency";

describe("toolEfficiency", () => {
  it("is 1 at the fewest calls and when no rollout of the group was correct", () => {
    for (const n of [0, 1, 2, 5]) expect(toolEfficiency(n, n)).toBeCloseTo(1, 12);
    expect(toolEfficiency(7, undefined)).toBe(1);
  });

  it("matches hand-computed points of both branches", () => {
    // n = 2, m = 4: f = 2·2·4/6 = 8/3, sin(8/3 · π/4) = sin(2π/3) = √3/2.
    expect(toolEfficiency(4, 2)).toBeCloseTo(Math.sqrt(3) / 2, 12);
    // n = 1, m = 3: f = 6/4 = 1.5, sin(1.5 · π/2) = sin(3π/4) = √2/2.
    expect(toolEfficiency(3, 1)).toBeCloseTo(Math.SQRT1_2, 12);
    // n = 0, c = 1, m = 1: cos(π/3) = 0.5; c = 2, m = 1: cos(π/4).
    expect(toolEfficiency(1, 0)).toBeCloseTo(0.5, 12);
    expect(toolEfficiency(1, 0, 2)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("falls strictly as calls grow past the fewest, towards 0", () => {
    for (const n of [0, 1, 3]) {
      let prev = toolEfficiency(n, n);
      for (let m = n + 1; m < n + 30; m++) {
        const f = toolEfficiency(m, n);
        expect(f, `n=${n} m=${m}`).toBeLessThan(prev);
        expect(f).toBeGreaterThan(0);
        prev = f;
      }
      expect(toolEfficiency(100_000, n)).toBeLessThan(0.01);
    }
  });

  it("refuses a non-positive smoothing constant", () => {
    expect(() => toolEfficiency(1, 0, 0)).toThrow(RangeError);
  });
});

describe("fewestCorrectCalls", () => {
  it("takes the minimum over correct rollouts only", () => {
    expect(
      fewestCorrectCalls([
        { correct: false, calls: 0 },
        { correct: true, calls: 3 },
        { correct: true, calls: 2 },
      ]),
    ).toBe(2);
    expect(fewestCorrectCalls([{ correct: false, calls: 1 }])).toBeUndefined();
    expect(fewestCorrectCalls([])).toBeUndefined();
  });
});
