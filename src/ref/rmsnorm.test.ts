// Checks the float64 RMSNorm reference: forward against its definition, backward (dx and dw) against central finite differences of the forward. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { rmsnormBackwardRef, rmsnormForwardRef } from "./rmsnorm";
import { numericGrad } from "./finite_difference";

/** L = Σ y · g, whose gradient with respect to y is g. */
function loss(x: ArrayLike<number>, w: ArrayLike<number>, g: ArrayLike<number>, T: number, C: number, eps: number): number {
  const { y } = rmsnormForwardRef(x, w, T, C, eps);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] as number) * (g[i] as number);
  return s;
}


describe("rmsnorm reference", () => {
  it("normalises each row to unit root mean square before scaling by w", () => {
    const { y, rstd } = rmsnormForwardRef([3, 4, 0, 0], [1, 2], 2, 2, 0);
    expect(rstd[0]).toBeCloseTo(1 / Math.sqrt(12.5), 12);
    expect(Array.from(y.subarray(0, 2))).toEqual([3 / Math.sqrt(12.5), 8 / Math.sqrt(12.5)]);
    // An all-zero row with eps > 0 stays zero instead of dividing by zero.
    const z = rmsnormForwardRef([0, 0], [1, 1], 1, 2, 1e-6);
    expect(Array.from(z.y)).toEqual([0, 0]);
    expect(z.rstd[0]).toBeCloseTo(1e3, 6);
  });

  for (const [T, C, eps] of [
    [1, 1, 1e-6],
    [3, 5, 1e-6],
    [4, 17, 0.1],
  ] as const) {
    it(`backward matches finite differences for T=${T} C=${C} eps=${eps}`, () => {
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const x = Float64Array.from(uniformArray(rand, T * C, -2, 2));
      const w = Float64Array.from(uniformArray(rand, C, -2, 2));
      const g = Float64Array.from(uniformArray(rand, T * C, -1, 1));
      const { dx, dw } = rmsnormBackwardRef(x, w, g, T, C, eps);
      const f = () => loss(x, w, g, T, C, eps);
      const tol = { atol: 1e-7, rtol: 1e-6 };
      assertClose(dx, numericGrad(x, f), tol, `rmsnorm dx T=${T} C=${C} seed=${seed}`);
      assertClose(dw, numericGrad(w, f), tol, `rmsnorm dw T=${T} C=${C} seed=${seed}`);
    });
  }
});
