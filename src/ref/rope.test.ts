// Checks the float64 RoPE reference: forward against the rotate-half definition on a hand case, backward against central finite differences of the forward and as its inverse. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { type RopeDims, ropeBackwardRef, ropeForwardRef } from "./rope";

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

describe("rope reference", () => {
  it("rotates the pair (d, d + D/2) by pos * theta^(-2d/D), rotate-half style", () => {
    // B=1, Tmax=3, one head, D=4: row 2 has position 2; pair 0 turns by 2 rad, pair 1 by 2/sqrt(theta).
    const theta = 100;
    const x = new Float64Array(12);
    x.set([1, 2, 3, 4], 8);
    const y = ropeForwardRef(x, { B: 1, Tmax: 3, heads: 1, headDim: 4, theta });
    const a0 = 2;
    const a1 = 2 / 10;
    const want = [
      1 * Math.cos(a0) - 3 * Math.sin(a0),
      2 * Math.cos(a1) - 4 * Math.sin(a1),
      3 * Math.cos(a0) + 1 * Math.sin(a0),
      4 * Math.cos(a1) + 2 * Math.sin(a1),
    ];
    for (let d = 0; d < 4; d++) expect(y[8 + d]).toBeCloseTo(want[d] as number, 14);
    // Position 0 is the identity.
    expect(Array.from(ropeForwardRef([1, 2, 3, 4], { B: 1, Tmax: 1, heads: 1, headDim: 4, theta }))).toEqual([1, 2, 3, 4]);
  });

  for (const theta of [1e4, 1e6]) {
    it(`backward matches finite differences of Σ G ⊙ rope(x) and undoes the forward (theta=${theta})`, () => {
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const dims: RopeDims = { B: 2, Tmax: 5, heads: 3, headDim: 8, theta };
      const n = dims.B * dims.Tmax * dims.heads * dims.headDim;
      const x = Float64Array.from(uniformArray(rand, n));
      const G = Float64Array.from(uniformArray(rand, n));
      const h = 1e-5;
      const fd = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const keep = x[i] as number;
        x[i] = keep + h;
        const plus = dot(ropeForwardRef(x, dims), G);
        x[i] = keep - h;
        const minus = dot(ropeForwardRef(x, dims), G);
        x[i] = keep;
        fd[i] = (plus - minus) / (2 * h);
      }
      assertClose(ropeBackwardRef(G, dims), fd, { atol: 1e-8, rtol: 1e-7 }, `rope backward vs finite differences seed=${seed}`);
      assertClose(ropeBackwardRef(ropeForwardRef(x, dims), dims), x, { atol: 1e-13, rtol: 0 }, `rope inverse seed=${seed}`);
    });
  }
});
