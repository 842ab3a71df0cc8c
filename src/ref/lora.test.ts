// Checks the float64 LoRA backward reference (gradients of A, B and x) against central finite differences of L = Σ G ⊙ y from the forward reference. Node only, no GPU.
import { describe, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { loraBackwardRef, loraForwardRef } from "./lora";
import { numericGrad } from "./finite_difference";

describe("LoRA reference backward", () => {
  for (const [M, K, N, r] of [[3, 5, 4, 2], [1, 6, 3, 1]]) {
    it(`matches finite differences for M=${M} K=${K} N=${N} r=${r}`, () => {
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const dims = { M: M!, K: K!, N: N!, r: r!, scale: 16 / r! };
      const x = Float64Array.from(uniformArray(rand, M! * K!));
      const A = Float64Array.from(uniformArray(rand, r! * K!));
      const B = Float64Array.from(uniformArray(rand, N! * r!));
      const y0 = uniformArray(rand, M! * N!);
      const G = uniformArray(rand, M! * N!);
      const loss = () => loraForwardRef(x, A, B, y0, dims).y.reduce((s, v, i) => s + v * (G[i] as number), 0);
      const { u } = loraForwardRef(x, A, B, y0, dims);
      const grads = loraBackwardRef(x, u, G, A, B, dims);
      const tol = { atol: 1e-7, rtol: 1e-7 };
      assertClose(grads.dA, numericGrad(A, loss), tol, `dA seed=${seed}`);
      assertClose(grads.dB, numericGrad(B, loss), tol, `dB seed=${seed}`);
      assertClose(grads.dx, numericGrad(x, loss), tol, `dx seed=${seed}`);
    });
  }
});
