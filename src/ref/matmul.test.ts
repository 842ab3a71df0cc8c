// Checks the float64 matmul reference: a hand-worked product, transpose storage equivalence, alpha/beta and beta = 0 ignoring NaN. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { matmulRef, transposeRef } from "./matmul";

describe("matmulRef", () => {
  it("multiplies a hand-worked example", () => {
    // [[1, 2, 3], [4, 5, 6]] · [[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]]
    const c = matmulRef([1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 1, 1], [Number.NaN, 0, 0, 0], {
      M: 2, N: 2, K: 3, transA: false, transB: false, alpha: 1, beta: 0,
    });
    expect(Array.from(c)).toEqual([4, 5, 10, 11]);
  });

  it("gives the same product for every storage order, with alpha and beta", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [M, N, K] = [4, 5, 3];
    const a = uniformArray(rand, M * K);
    const b = uniformArray(rand, K * N);
    const c = uniformArray(rand, M * N);
    const base = matmulRef(a, b, c, { M, N, K, transA: false, transB: false, alpha: 0.5, beta: 2 });
    const aT = transposeRef(a, M, K);
    const bT = transposeRef(b, K, N);
    for (const [transA, transB] of [[true, false], [false, true], [true, true]] as const) {
      const got = matmulRef(transA ? aT : a, transB ? bT : b, c, { M, N, K, transA, transB, alpha: 0.5, beta: 2 });
      assertClose(got, base, { atol: 1e-14, rtol: 1e-14 }, `matmulRef trans ${transA} ${transB} seed=${seed}`);
    }
    const check = 0.5 * ((a[0] as number) * (b[0] as number) + (a[1] as number) * (b[N] as number) + (a[2] as number) * (b[2 * N] as number)) + 2 * (c[0] as number);
    expect(base[0]).toBeCloseTo(check, 12);
  });
});
