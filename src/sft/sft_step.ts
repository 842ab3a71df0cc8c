// One supervised fine-tuning step on the GPU runtime: the mean cross-entropy
// over the policy tokens of a batch (sft_weights.ts), backpropagated in
// micro-batches that share the batch's token count as denominator, then one
// AdamW step. The same code trains every parameter (a runtime built in "full"
// mode) or a LoRA adapter (built in "lora" mode): it trains what the runtime
// calls trainable. This is the cold start ReTool does before RL, and how the
// bundled tiny model learns its format from demonstrations.
import type { AdamWOptimizer, AdamWSettings } from "../model/optimizer";
import type { ModelRuntime } from "../model/runtime";
import { policyCrossEntropy, policyMasks, type SftExample, sftWeights } from "./sft_weights";

export type { SftExample } from "./sft_weights";

export type SftStepOptions = {
  /** Sequences per forward/backward pass (default: the whole batch in one). */
  microBatch?: number;
  /** Read the gradient norm before the step, for logs (one extra readback). */
  gradNorm?: boolean;
};

export type SftStepResult = {
  /** Mean cross-entropy over the batch's policy tokens, in nats, before the update. */
  loss: number;
  /** N: the policy tokens the mean is over. */
  policyTokens: number;
  /** Global gradient norm before clipping (when asked for). */
  gradNorm?: number;
};

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Zeroes the gradients, accumulates the batch's mean policy-token cross-entropy gradient
 * micro-batch by micro-batch, and takes one AdamW step with `adam`.
 */
export async function sftStep(
  runtime: ModelRuntime,
  optimizer: AdamWOptimizer,
  examples: readonly SftExample[],
  adam: AdamWSettings,
  opts: SftStepOptions = {},
): Promise<SftStepResult> {
  const { policyTokens } = sftWeights(examples);
  const size = Math.max(1, Math.floor(opts.microBatch ?? examples.length));
  runtime.zeroGrads();
  let sum = 0;
  for (const part of chunks(examples, size)) {
    const { weights } = sftWeights(part, policyTokens);
    const { logp } = await runtime.accumulateGradients(part.map((e) => e.tokens), weights);
    sum += policyCrossEntropy(policyMasks(part), logp).sum;
  }
  const gradNorm = opts.gradNorm ? await optimizer.gradNorm() : undefined;
  optimizer.step(adam);
  return { loss: sum / policyTokens, policyTokens, ...(gradNorm !== undefined ? { gradNorm } : {}) };
}

/** Mean cross-entropy over the policy tokens of `examples` under the current weights (no update). */
export async function sftLoss(runtime: ModelRuntime, examples: readonly SftExample[], microBatch = examples.length): Promise<{ loss: number; policyTokens: number }> {
  const masks = policyMasks(examples);
  let sum = 0;
  let tokens = 0;
  const size = Math.max(1, Math.floor(microBatch));
  for (let i = 0; i < examples.length; i += size) {
    const part = examples.slice(i, i + size);
    const { logp } = await runtime.logprobs(part.map((e) => e.tokens));
    const ce = policyCrossEntropy(masks.slice(i, i + size), logp);
    sum += ce.sum;
    tokens += ce.tokens;
  }
  if (tokens === 0) throw new Error("sftLoss: the examples have no policy tokens");
  return { loss: sum / tokens, policyTokens: tokens };
}
