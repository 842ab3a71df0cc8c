// Checks the float64 SwiGLU reference: forward against silu(g)·u, backward (dgate and dup) against central finite differences. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { swigluBackwardRef, swigluForwardRef } from "./swiglu";

describe("swiglu reference", () => {
  it("computes silu(gate) · up", () => {
    const h = swigluForwardRef([0, 1, -2, 40], [5, 2, 3, 0.5]);
    expect(h[0]).toBe(0);
    expect(h[1]).toBeCloseTo(2 / (1 + Math.exp(-1)), 14);
    expect(h[2]).toBeCloseTo((3 * -2) / (1 + Math.exp(2)), 14);
    expect(h[3]).toBeCloseTo(20, 12);
  });

  for (const n of [1, 9, 64]) {
    it(`backward matches finite differences for n=${n}`, () => {
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const gate = Float64Array.from(uniformArray(rand, n, -6, 6));
      const up = Float64Array.from(uniformArray(rand, n, -2, 2));
      const dh = Float64Array.from(uniformArray(rand, n, -1, 1));
      const { dgate, dup } = swigluBackwardRef(gate, up, dh);
      // Elementwise op: perturbing element i moves only h[i], so L = Σ h · dh differences per element.
      const h = 1e-5;
      const fd = (v: Float64Array, i: number) => {
        const keep = v[i] as number;
        v[i] = keep + h;
        const plus = (swigluForwardRef(gate, up)[i] as number) * (dh[i] as number);
        v[i] = keep - h;
        const minus = (swigluForwardRef(gate, up)[i] as number) * (dh[i] as number);
        v[i] = keep;
        return (plus - minus) / (2 * h);
      };
      const tol = { atol: 1e-8, rtol: 1e-6 };
      assertClose(dgate, Array.from(gate, (_, i) => fd(gate, i)), tol, `swiglu dgate n=${n} seed=${seed}`);
      assertClose(dup, Array.from(up, (_, i) => fd(up, i)), tol, `swiglu dup n=${n} seed=${seed}`);
    });
  }
});
