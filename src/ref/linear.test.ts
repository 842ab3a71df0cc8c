// Checks the float64 linear-layer backward references (input, weight and bias gradients) against central finite differences of the forward reference. Node only, no GPU.
import { describe, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { linearBackwardInputRef, linearBiasGradRef, linearForwardRef, linearWeightGradRef } from "./linear";
import { numericGrad } from "./finite_difference";


describe("linear reference backward", () => {
  it("matches finite differences of L = Σ G ⊙ y over a row range", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [M, N, K, R, rowStart] = [3, 4, 5, 7, 2];
    const x = Float64Array.from(uniformArray(rand, M * K));
    const W = Float64Array.from(uniformArray(rand, R * K));
    const bias = Float64Array.from(uniformArray(rand, R));
    const G = uniformArray(rand, M * N);
    const dims = { M, N, K, rowStart };
    const loss = () => linearForwardRef(x, W, bias, dims).reduce((s, v, i) => s + v * (G[i] as number), 0);
    const tol = { atol: 1e-8, rtol: 1e-7 };
    assertClose(linearBackwardInputRef(G, W, dims), numericGrad(x, loss), tol, `dx seed=${seed}`);
    const dW = numericGrad(W, loss);
    assertClose(linearWeightGradRef(G, x, dims), dW.subarray(rowStart * K, (rowStart + N) * K), tol, `dW seed=${seed}`);
    assertClose(dW.subarray(0, rowStart * K), new Float64Array(rowStart * K), tol, `dW outside the range seed=${seed}`);
    const db = numericGrad(bias, loss);
    assertClose(linearBiasGradRef(G, dims), db.subarray(rowStart, rowStart + N), tol, `db seed=${seed}`);
  });
});
