// Checks the float64 optimizer reference (global gradient norm, AdamW step with clipping) against hand-computed values. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { adamwRef, gradNormRef } from "./adamw";

describe("gradNormRef", () => {
  it("is the L2 norm over all buffers together", () => {
    expect(gradNormRef([[3], [0, 4]])).toBe(5);
    expect(gradNormRef([[], [1, 1, 1, 1]])).toBe(2);
  });
});

describe("adamwRef", () => {
  it("takes a first step by hand: m̂ = g, v̂ = g², decoupled weight decay", () => {
    const param = Float64Array.of(1, -2);
    const m = new Float64Array(2);
    const v = new Float64Array(2);
    const h = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1, maxNorm: 0 };
    adamwRef(param, [0.5, -0.1], m, v, 0.5099, h);
    // m = 0.1 g, v = 0.001 g²; bias corrections 0.1 and 0.001 give back g and g².
    expect(m[0]).toBeCloseTo(0.05, 15);
    expect(m[1]).toBeCloseTo(-0.01, 15);
    expect(v[0]).toBeCloseTo(0.00025, 15);
    expect(v[1]).toBeCloseTo(0.00001, 15);
    // p -= 0.1 (g / (|g| + 1e-8) + 0.01 p)
    expect(param[0]).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.01), 14);
    expect(param[1]).toBeCloseTo(-2 - 0.1 * (-0.1 / (0.1 + 1e-8) - 0.02), 14);
    expect(param[0]).toBeCloseTo(0.899000002, 9);
    expect(param[1]).toBeCloseTo(-1.89800001, 8);
  });

  it("takes a later step by hand with existing moments", () => {
    const param = Float64Array.of(1);
    const m = Float64Array.of(0.2);
    const v = Float64Array.of(0.04);
    adamwRef(param, [0.1], m, v, 0.1, { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 0, weightDecay: 0, step: 2, maxNorm: 0 });
    // m = 0.18 + 0.01 = 0.19, v = 0.0396 + 0.0001 = 0.0397; m̂ = 0.19 / 0.19 = 1, v̂ = 0.0397 / 0.0199.
    expect(m[0]).toBeCloseTo(0.19, 15);
    expect(v[0]).toBeCloseTo(0.0397, 15);
    expect(param[0]).toBeCloseTo(1 - 0.01 / Math.sqrt(0.0397 / 0.0199), 14);
    expect(param[0]).toBeCloseTo(0.99292, 5);
  });

  it("clips the gradient by maxNorm / (norm + 1e-6) only when the norm exceeds it", () => {
    const h = { lr: 0.1, beta1: 0.5, beta2: 0.5, eps: 0, weightDecay: 0, step: 1, maxNorm: 1 };
    const m = new Float64Array(1);
    const v = new Float64Array(1);
    adamwRef(new Float64Array(1), [4], m, v, 4, h);
    expect(m[0]).toBeCloseTo(0.5 * 4 * (1 / (4 + 1e-6)), 15); // g' = 4 / (4 + 1e-6) ≈ 1
    const m2 = new Float64Array(1);
    adamwRef(new Float64Array(1), [0.5], m2, new Float64Array(1), 0.5, h);
    expect(m2[0]).toBe(0.25); // norm under maxNorm: g unchanged
    const m3 = new Float64Array(1);
    adamwRef(new Float64Array(1), [4], m3, new Float64Array(1), 4, { ...h, maxNorm: Infinity });
    expect(m3[0]).toBe(2); // Infinity disables clipping
  });
});
