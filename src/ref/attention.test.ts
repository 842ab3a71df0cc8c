// Checks the float64 causal GQA attention reference: forward against a hand case, padding isolation, and the backward against central finite differences of Σ G ⊙ o. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { type AttentionDims, attentionBackwardRef, attentionForwardRef } from "./attention";
import { assertClose } from "./compare";
import { numericGrad } from "./finite_difference";


/** Sets every padding row (i >= lens[b]) of a (B*Tmax, width) tensor to `value`. */
function fillPadding(x: Float64Array, lens: ArrayLike<number>, Tmax: number, width: number, value: number): void {
  for (let b = 0; b < lens.length; b++) {
    for (let i = lens[b] as number; i < Tmax; i++) x.fill(value, (b * Tmax + i) * width, (b * Tmax + i + 1) * width);
  }
}

describe("attention reference", () => {
  it("averages values under causal softmax weights", () => {
    // One sequence of 2 tokens, one head, HD=1: row 0 sees only itself; row 1 mixes v0, v1.
    const dims: AttentionDims = { B: 1, Tmax: 2, NH: 1, NKV: 1, HD: 1 };
    const { o, lse } = attentionForwardRef([1, 2], [3, 5], [7, 11], [2], dims);
    expect(o[0]).toBeCloseTo(7, 14);
    expect(lse[0]).toBeCloseTo(3, 14);
    const p1 = Math.exp(10) / (Math.exp(6) + Math.exp(10));
    expect(o[1]).toBeCloseTo(7 * (1 - p1) + 11 * p1, 12);
    expect(lse[1]).toBeCloseTo(Math.log(Math.exp(6) + Math.exp(10)), 12);
  });

  it("backward matches finite differences with GQA, two sequences of different lengths, and ignores padding", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const dims: AttentionDims = { B: 2, Tmax: 5, NH: 4, NKV: 2, HD: 4 };
    const lens = [5, 3];
    const { B, Tmax, NH, NKV, HD } = dims;
    const q = Float64Array.from(uniformArray(rand, B * Tmax * NH * HD, -1.5, 1.5));
    const k = Float64Array.from(uniformArray(rand, B * Tmax * NKV * HD, -1.5, 1.5));
    const v = Float64Array.from(uniformArray(rand, B * Tmax * NKV * HD));
    const G = Float64Array.from(uniformArray(rand, B * Tmax * NH * HD));
    const loss = () => {
      const { o } = attentionForwardRef(q, k, v, lens, dims);
      let s = 0;
      for (let i = 0; i < o.length; i++) s += (o[i] as number) * (G[i] as number);
      return s;
    };
    const { dq, dk, dv } = attentionBackwardRef(q, k, v, lens, G, dims);
    const tol = { atol: 1e-8, rtol: 1e-6 };
    assertClose(dq, numericGrad(q, loss), tol, `dq vs finite differences seed=${seed}`);
    assertClose(dk, numericGrad(k, loss), tol, `dk vs finite differences seed=${seed}`);
    assertClose(dv, numericGrad(v, loss), tol, `dv vs finite differences seed=${seed}`);

    // Garbage in the padding rows of every input changes nothing, and padding rows get zeros.
    const fwd = attentionForwardRef(q, k, v, lens, dims);
    for (const [x, w] of [[q, NH * HD], [k, NKV * HD], [v, NKV * HD], [G, NH * HD]] as const) fillPadding(x, lens, Tmax, w, 1e4);
    const fwd2 = attentionForwardRef(q, k, v, lens, dims);
    const bwd2 = attentionBackwardRef(q, k, v, lens, G, dims);
    expect(Array.from(fwd2.o)).toEqual(Array.from(fwd.o));
    expect(Array.from(fwd2.lse)).toEqual(Array.from(fwd.lse));
    expect(Array.from(bwd2.dq)).toEqual(Array.from(dq));
    expect(Array.from(bwd2.dk)).toEqual(Array.from(dk));
    expect(Array.from(bwd2.dv)).toEqual(Array.from(dv));
    for (let i = 3; i < Tmax; i++) {
      const row = Tmax + i; // sequence 1
      expect(Array.from(fwd.o.subarray(row * NH * HD, (row + 1) * NH * HD)).every((x) => x === 0)).toBe(true);
      expect(Array.from(dk.subarray(row * NKV * HD, (row + 1) * NKV * HD)).every((x) => x === 0)).toBe(true);
    }
  });
});
