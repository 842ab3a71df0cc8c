// Checks the SFT loss weights on hand-made token origins (Node, no GPU): −1/N exactly on predicted policy tokens, 0 on prompt and forced ones (or their forcedWeights share), a shared denominator for micro-batches, the cross-entropy sum, and the errors for unusable examples.
import { describe, expect, it } from "vitest";
import type { TokenOrigin } from "../rollout/rollout_state";
import { policyCrossEntropy, policyMasks, SftExampleError, sftWeights } from "./sft_weights";

const P: TokenOrigin = "prompt";
const S: TokenOrigin = "policy";
const F: TokenOrigin = "forced";

/** An example with the given origins (token ids are just 0..n-1). */
const ex = (origins: TokenOrigin[]) => ({ tokens: origins.map((_, i) => i), origins });

describe("sftWeights", () => {
  it("puts −1/N on positions that predict a policy token and 0 elsewhere", () => {
    // prompt prompt | policy policy | forced forced | policy  →  predicted positions t = 0..5 are about tokens 1..6
    const a = ex([P, P, S, S, F, F, S]);
    // prompt | policy | forced | policy policy
    const b = ex([P, S, F, S, S]);
    const { weights, policyTokens } = sftWeights([a, b]);
    expect(policyTokens).toBe(6);
    const w = -1 / 6;
    expect(Array.from(weights[0]!)).toEqual([0, w, w, 0, 0, w].map((v) => Math.fround(v)));
    expect(Array.from(weights[1]!)).toEqual([w, 0, w, w].map((v) => Math.fround(v)));
    // Weights sum to −1: the mean over N tokens.
    const total = [...weights[0]!, ...weights[1]!].reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(-1, 6);
  });

  it("divides by the whole batch's N when a micro-batch is given it", () => {
    const { weights, policyTokens } = sftWeights([ex([P, S, S])], 10);
    expect(policyTokens).toBe(10);
    expect(Array.from(weights[0]!)).toEqual([Math.fround(-0.1), Math.fround(-0.1)]);
  });

  it("weights forced tokens by forcedWeights, relative to a policy token, with N still the policy count", () => {
    // prompt | policy | forced forced | policy, the forced tokens learned at 0.5 and 0.25
    const a = { ...ex([P, S, F, F, S]), forcedWeights: [0, 0, 0.5, 0.25, 0] };
    const { weights, policyTokens } = sftWeights([a]);
    expect(policyTokens).toBe(2);
    const w = -1 / 2;
    expect(Array.from(weights[0]!)).toEqual([w, 0.5 * w, 0.25 * w, w].map((v) => Math.fround(v)));
    // Without them the same example masks its forced tokens.
    expect(Array.from(sftWeights([ex([P, S, F, F, S])]).weights[0]!)).toEqual([w, 0, 0, w].map((v) => Math.fround(v)));
    expect(() => sftWeights([{ ...ex([P, S, S]), forcedWeights: [0, 1] }])).toThrow(/3 tokens but 2 forced-token weights/);
  });

  it("refuses a batch without policy tokens, a too-short example and mismatched origins", () => {
    expect(() => sftWeights([ex([P, P, F, F])])).toThrow(SftExampleError);
    expect(() => sftWeights([ex([P, P, F, F])])).toThrow(/no policy tokens/);
    expect(() => sftWeights([ex([S])])).toThrow(/at least 2/);
    expect(() => sftWeights([{ tokens: [1, 2, 3], origins: [P, S] }])).toThrow(/3 tokens but 2 origins/);
  });
});

describe("policyCrossEntropy", () => {
  it("sums −logp over policy positions only", () => {
    const masks = policyMasks([ex([P, S, F, S])]);
    const logp = [Float32Array.from([-1, -10, -2])];
    expect(policyCrossEntropy(masks, logp)).toEqual({ sum: 3, tokens: 2 });
  });
});
