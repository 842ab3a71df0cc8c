// Checks the float64 head reference: logp/entropy against direct softmax sums, and dh, dW against central finite differences. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { assertClose } from "./compare";
import { headBackwardRef, headFromLogitsRef, headRef } from "./head";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { numericGrad } from "./finite_difference";

/** L = Σ wlogp·logp + went·entropy. */
function loss(h: Float64Array, W: Float64Array, targets: Uint32Array, wlogp: Float64Array, went: Float64Array, M: number, V: number, C: number) {
  const { logp, entropy } = headRef(h, W, targets, M, V, C);
  let L = 0;
  for (let m = 0; m < M; m++) L += wlogp[m]! * logp[m]! + went[m]! * entropy[m]!;
  return L;
}

describe("headRef", () => {
  it("matches softmax written out for one row, and treats an out-of-range target as logp = 0", () => {
    const z = [1, 2, 3, 0.5, -1, 4];
    const { logp, entropy, lse } = headFromLogitsRef(z, [2, 7], 2, 3);
    const p = [1, 2, 3].map((x) => Math.exp(x) / (Math.E + Math.E ** 2 + Math.E ** 3));
    expect(lse[0]).toBeCloseTo(Math.log(Math.E + Math.E ** 2 + Math.E ** 3), 14);
    expect(logp[0]).toBeCloseTo(Math.log(p[2]!), 14);
    expect(entropy[0]).toBeCloseTo(-p.reduce((a, q) => a + q * Math.log(q), 0), 14);
    expect(logp[1]).toBe(0);
    const q = [0.5, -1, 4].map((x) => Math.exp(x) / (Math.exp(0.5) + Math.exp(-1) + Math.exp(4)));
    expect(entropy[1]).toBeCloseTo(-q.reduce((a, r) => a + r * Math.log(r), 0), 14);
  });

  it("gives dh and dW equal to central finite differences of the weighted logp + entropy", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [M, V, C] = [4, 7, 5];
    const h = Float64Array.from(uniformArray(rand, M * C, -1.5, 1.5));
    const W = Float64Array.from(uniformArray(rand, V * C, -1.5, 1.5));
    const targets = Uint32Array.of(0, 6, 3, V + 2); // last row: padding
    const wlogp = Float64Array.from(uniformArray(rand, M, -1, 1));
    const went = Float64Array.from(uniformArray(rand, M, -1, 1));
    const { dh, dW } = headBackwardRef(h, W, targets, wlogp, went, M, V, C);
    const f = () => loss(h, W, targets, wlogp, went, M, V, C);
    assertClose(dh, numericGrad(h, f), { atol: 1e-8, rtol: 1e-6 }, `head dh seed=${seed}`);
    assertClose(dW, numericGrad(W, f), { atol: 1e-8, rtol: 1e-6 }, `head dW seed=${seed}`);
  });
});
