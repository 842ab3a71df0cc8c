// Memory plan of GPU generation: the KV cache (per layer, K and V: (slots, maxLength, NKV·HD)
// f32, one slot more than maxSequences as scratch for padding rows), one layer's working set
// for up to maxRows rows, and the logits of up to maxSequences rows. Checked, together with the
// model's weights, against the adapter's limits and a budget BEFORE anything is allocated; a
// refusal names the figures and what to lower.
import { formatBytes } from "../util/format_bytes";
import type { Qwen2Config } from "../model/config";
import { type BufferSpec, loraSpecs, type MemoryEstimate, ModelTooLargeError, summarize, type TrainMode, weightSpecs } from "../model/memory";
import type { WeightFormat } from "../protocol/tensors";

export type GeneratorShape = {
  /** Sequences that can live in the cache at once (each holds one slot). */
  maxSequences: number;
  /** Tokens per sequence, prompt included. */
  maxLength: number;
  /** Rows one forward pass processes at most (prefill is split into chunks of this many). */
  maxRows: number;
};

/** The buffers the generator allocates, by name (group "activations" except the logits: "head"). */
export function generatorSpecs(c: Qwen2Config, mode: TrainMode, shape: GeneratorShape): BufferSpec[] {
  const { maxSequences, maxLength, maxRows } = shape;
  const W = c.kvHeads * c.headDim;
  const Q = c.heads * c.headDim;
  const C = c.hidden;
  const I = c.intermediate;
  const f = (name: string, elements: number, group: BufferSpec["group"] = "activations"): BufferSpec => ({
    name,
    bytes: Math.max(4, elements * 4),
    group,
  });
  const specs: BufferSpec[] = [];
  const cacheRows = (maxSequences + 1) * maxLength;
  for (let l = 0; l < c.layers; l++) specs.push(f(`kv.l${l}.k`, cacheRows * W), f(`kv.l${l}.v`, cacheRows * W));
  specs.push(
    f("ids", maxRows), f("rowpos", 2 * maxRows), f("samp", 8 * maxSequences), f("sampled", 2 * maxSequences),
    f("x", maxRows * C), f("xmid", maxRows * C), f("tmp", maxRows * C), f("h", maxRows * C), f("rstd", maxRows),
    f("q", maxRows * Q), f("k", maxRows * W), f("v", maxRows * W), f("att", maxRows * Q),
    f("g", maxRows * I), f("u", maxRows * I), f("m", maxRows * I),
  );
  if (mode.kind === "lora") specs.push(f("lora_u", maxRows * mode.lora.r));
  specs.push(f("logits", maxSequences * c.vocab, "head"));
  return specs;
}

/** Why a generator shape cannot fit; the message names the figures and what to lower. */
export class GeneratorTooLargeError extends ModelTooLargeError {
  constructor(message: string) {
    super(message);
    this.name = "GeneratorTooLargeError";
  }
}

/**
 * Checks weights (+ LoRA state) + the generator's buffers against maxBufferSize,
 * maxStorageBufferBindingSize and `budget` bytes; throws GeneratorTooLargeError, else returns the plan.
 */
export function planGeneratorMemory(
  c: Qwen2Config,
  format: WeightFormat,
  mode: TrainMode,
  shape: GeneratorShape,
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; budget: number },
): MemoryEstimate {
  const { maxSequences, maxLength, maxRows } = shape;
  for (const [name, x] of Object.entries(shape)) {
    if (!Number.isInteger(x) || x < 1) throw new Error(`generator: ${name} must be a positive integer, got ${x}`);
  }
  if (maxLength > 65536) throw new Error(`generator: maxLength is at most 65536 (RoPE positions), got ${maxLength}`);
  const gen = generatorSpecs(c, mode, shape);
  const all = [...weightSpecs(c, format, mode), ...(mode.kind === "lora" ? loraSpecs(c, mode.lora) : []), ...gen];
  const cap = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const tooBig = gen.find((s) => s.bytes > cap);
  const kvLayer = gen.find((s) => s.name === "kv.l0.k")!.bytes;
  if (tooBig) {
    throw new GeneratorTooLargeError(
      `generation buffer "${tooBig.name}" needs ${formatBytes(tooBig.bytes)} but this adapter binds at most ${formatBytes(cap)} ` +
        `(maxSequences ${maxSequences}, maxLength ${maxLength}, maxRows ${maxRows}; one layer's K cache is ${formatBytes(kvLayer)}). ` +
        "Lower maxSequences or maxLength (the KV cache), or maxRows (the prefill chunk).",
    );
  }
  const est = summarize(all);
  if (est.total > limits.budget) {
    const genTotal = summarize(gen).total;
    throw new GeneratorTooLargeError(
      `generation needs ${formatBytes(est.total)} of GPU memory: weights and adapters ` +
        `${formatBytes(est.byGroup.weights + est.byGroup.trainable)}, KV cache ${formatBytes(2 * c.layers * kvLayer)} ` +
        `(${c.layers} layers × K and V × ${maxSequences + 1} slots × ${maxLength} positions × ${c.kvHeads * c.headDim} f32), ` +
        `other generation buffers ${formatBytes(genTotal - 2 * c.layers * kvLayer)}; the budget is ${formatBytes(limits.budget)}. ` +
        "Lower maxSequences or maxLength, or use q4_0 weights.",
    );
  }
  return est;
}
