// Supervised fine-tuning's loss as per-token weights of the log-probs: the mean
// cross-entropy over the policy's tokens of a batch of token sequences,
//   L = −(1/N) Σ_b Σ_t policy[b][t] · logp[b][t],   N = Σ policy,
// is the runtime's L = Σ wlogp·logp with wlogp = −1/N on policy positions and
// 0 elsewhere. Prompt and forced tokens (tool responses, corrective messages)
// are masked exactly as in the DAPO loss: position t of the PerToken layout is
// about token t + 1, so its mask is origins[t + 1] (predictedPolicyMask).
import { predictedPolicyMask } from "../rl/loss_batch";
import type { TokenOrigin } from "../rollout/rollout_state";

/**
 * One training sequence: token ids (N) and where each came from (N). `forcedWeights` (N, optional)
 * gives tokens the policy did not write a loss weight relative to a policy token's (absent or 0:
 * masked, as in the DAPO loss). The tiny model's build uses it to also learn from search responses,
 * which repeat the query's name: the copying its policy needs.
 */
export type SftExample = { tokens: number[]; origins: TokenOrigin[]; forcedWeights?: number[] };

/** Thrown for an example the loss cannot use; the message names it and says what is wrong. */
export class SftExampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SftExampleError";
  }
}

/** Checks lengths and origins; returns the examples' policy masks in PerToken layout. */
export function policyMasks(examples: readonly SftExample[]): Uint8Array[] {
  return examples.map((ex, i) => {
    if (ex.tokens.length !== ex.origins.length) {
      throw new SftExampleError(`SFT example ${i} has ${ex.tokens.length} tokens but ${ex.origins.length} origins: give one origin per token`);
    }
    if (ex.forcedWeights && ex.forcedWeights.length !== ex.tokens.length) {
      throw new SftExampleError(`SFT example ${i} has ${ex.tokens.length} tokens but ${ex.forcedWeights.length} forced-token weights: give one per token`);
    }
    if (ex.tokens.length < 2) throw new SftExampleError(`SFT example ${i} has ${ex.tokens.length} token(s): it needs at least 2 to predict one`);
    return predictedPolicyMask(ex.origins);
  });
}

/**
 * The per-token weights of the mean cross-entropy over the policy tokens of `examples`, and N
 * (forced tokens with a `forcedWeights` entry add that share of a policy token's weight, N unchanged).
 * `policyTokens` (default: this batch's own count) is the denominator, so micro-batches of one
 * optimizer step can share the whole batch's N. Throws SftExampleError when N is 0.
 */
export function sftWeights(examples: readonly SftExample[], policyTokens?: number): { weights: Float32Array[]; policyTokens: number } {
  const masks = policyMasks(examples);
  const n = policyTokens ?? masks.reduce((sum, m) => sum + m.reduce((a, b) => a + b, 0), 0);
  if (!(n > 0)) throw new SftExampleError("the SFT batch has no policy tokens to learn from (every token is prompt or forced)");
  const w = -1 / n;
  return {
    weights: masks.map((m, b) => {
      const forced = examples[b]!.forcedWeights;
      return Float32Array.from(m, (bit, t) => (bit ? w : forced ? w * (forced[t + 1] ?? 0) : 0));
    }),
    policyTokens: n,
  };
}

/** Sum over policy positions of −logp (the cross-entropy numerator) and the count of those positions. */
export function policyCrossEntropy(masks: readonly Uint8Array[], logp: readonly Float32Array[]): { sum: number; tokens: number } {
  let sum = 0;
  let tokens = 0;
  masks.forEach((m, b) => {
    const lp = logp[b]!;
    for (let t = 0; t < m.length; t++) {
      if (!m[t]) continue;
      sum -= lp[t]!;
      tokens++;
    }
  });
  return { sum, tokens };
}
