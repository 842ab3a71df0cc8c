// Memory planning: every GPU buffer the runtime will allocate is first listed
// here with its size, so the total can be checked against the adapter's limits
// (maxBufferSize, maxStorageBufferBindingSize) and a memory budget BEFORE
// anything is allocated, and the refusal can name the figures.
import { formatBytes } from "../util/format_bytes";
import { headChunkRows } from "../gpu/ops/head_chunk";
import { weightBytes } from "../quant/weights";
import { type WeightFormat } from "../protocol/tensors";
import type { Qwen2Config } from "./config";
import type { LoraSettings } from "../protocol/lora";
import { linearShape } from "./weights";
import { LINEAR_NAMES } from "../protocol/lora";

export type BufferSpec = { name: string; bytes: number; group: "weights" | "trainable" | "activations" | "head" };

export type TrainMode = { kind: "lora"; lora: LoraSettings } | { kind: "full" } | { kind: "frozen" };

export type BatchShape = { B: number; Tmax: number };

/** Base weights (and, in full mode, their gradients and AdamW moments). */
export function weightSpecs(c: Qwen2Config, format: WeightFormat, mode: TrainMode): BufferSpec[] {
  const specs: BufferSpec[] = [];
  const trainCopies = mode.kind === "full" ? 3 : 0; // grad, m, v
  const add = (name: string, bytes: number, f32Elements: number) => {
    specs.push({ name, bytes, group: "weights" });
    for (let i = 0; i < trainCopies; i++) specs.push({ name: `${name}#${i}`, bytes: f32Elements * 4, group: "trainable" });
  };
  add("embed", weightBytes(format, c.vocab, c.hidden), c.vocab * c.hidden);
  if (!c.tieEmbeddings) add("lm_head", weightBytes(format, c.vocab, c.hidden), c.vocab * c.hidden);
  add("final_norm", c.hidden * 4, c.hidden);
  for (let l = 0; l < c.layers; l++) {
    add(`l${l}.attn_norm`, c.hidden * 4, c.hidden);
    add(`l${l}.mlp_norm`, c.hidden * 4, c.hidden);
    for (const name of LINEAR_NAMES) {
      const [N, K] = linearShape(c, name);
      add(`l${l}.${name}`, weightBytes(format, N, K), N * K);
      if (name === "q" || name === "k" || name === "v") add(`l${l}.${name}.bias`, N * 4, N);
    }
  }
  return specs;
}

/** LoRA matrices with their gradients and AdamW moments (4 copies each). */
export function loraSpecs(c: Qwen2Config, lora: LoraSettings): BufferSpec[] {
  const specs: BufferSpec[] = [];
  for (let l = 0; l < c.layers; l++) {
    for (const t of lora.targets) {
      const [N, K] = linearShape(c, t);
      specs.push({ name: `l${l}.${t}.lora`, bytes: 4 * 4 * lora.r * (N + K), group: "trainable" });
    }
  }
  return specs;
}

/** Activations for a (B, Tmax) batch: one residual checkpoint per layer plus one layer's working set. */
export function activationSpecs(c: Qwen2Config, batch: BatchShape, mode: TrainMode, maxBinding: number): BufferSpec[] {
  const M = batch.B * batch.Tmax;
  const C = c.hidden;
  const I = c.intermediate;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const f = (name: string, elements: number, group: BufferSpec["group"] = "activations"): BufferSpec => ({
    name,
    bytes: Math.max(4, elements * 4),
    group,
  });
  const specs: BufferSpec[] = [
    f("ids", M),
    f("targets", M),
    f("lens", batch.B),
    f("wlogp", M),
    f("went", M),
  ];
  for (let l = 0; l <= c.layers; l++) specs.push(f(`ckpt${l}`, M * C));
  specs.push(
    f("h1", M * C), f("rstd1", M), f("q", M * q), f("k", M * kv), f("v", M * kv), f("att", M * q), f("lse", M * c.heads),
    f("tmp", M * C), f("xmid", M * C), f("h2", M * C), f("rstd2", M), f("g", M * I), f("u", M * I), f("m", M * I),
    f("hf", M * C), f("rstdf", M),
  );
  if (mode.kind !== "frozen") {
    specs.push(
      f("dx", M * C), f("dh", M * C), f("da", M * q), f("dq", M * q), f("dk", M * kv), f("dv", M * kv), f("delta", M * c.heads),
      f("dg", M * I), f("du", M * I), f("dm", M * I),
    );
  }
  if (mode.kind === "lora") {
    for (const t of mode.lora.targets) specs.push(f(`lora_u.${t}`, M * mode.lora.r));
    specs.push(f("lora_du", M * mode.lora.r));
  }
  const chunk = headChunkRows(M, c.vocab, maxBinding);
  specs.push(f("head.logits", M * chunk, "head"), f("head.stats", M * 4, "head"), f("head.out", M * 3, "head"));
  return specs;
}

export type MemoryLimits = { maxBufferSize: number; maxStorageBufferBindingSize: number; budget: number };

export type MemoryEstimate = { total: number; byGroup: Record<BufferSpec["group"], number>; largest: BufferSpec };

export function summarize(specs: BufferSpec[]): MemoryEstimate {
  const byGroup = { weights: 0, trainable: 0, activations: 0, head: 0 };
  let largest = specs[0] ?? { name: "none", bytes: 0, group: "weights" as const };
  for (const s of specs) {
    byGroup[s.group] += s.bytes;
    if (s.bytes > largest.bytes) largest = s;
  }
  const total = byGroup.weights + byGroup.trainable + byGroup.activations + byGroup.head;
  return { total, byGroup, largest };
}

/** The model or batch cannot fit this adapter; the message names the figures and what to change. */
export class ModelTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelTooLargeError";
  }
}

/** Throws ModelTooLargeError when the plan breaks a limit. */
export function checkFits(specs: BufferSpec[], limits: MemoryLimits): MemoryEstimate {
  const est = summarize(specs);
  const bindingCap = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const tooBig = specs.filter((s) => s.bytes > bindingCap);
  if (tooBig.length > 0) {
    const first = tooBig[0]!;
    throw new ModelTooLargeError(
      `the buffer "${first.name}" needs ${formatBytes(first.bytes)}, but this adapter binds at most ` +
        `${formatBytes(bindingCap)} (maxBufferSize ${formatBytes(limits.maxBufferSize)}, ` +
        `maxStorageBufferBindingSize ${formatBytes(limits.maxStorageBufferBindingSize)}). ` +
        "Use a smaller batch or sequence length, a stronger quantization (q4_0), or a smaller model.",
    );
  }
  if (est.total > limits.budget) {
    const g = est.byGroup;
    throw new ModelTooLargeError(
      `this model and batch need ${formatBytes(est.total)} of GPU memory (weights ${formatBytes(g.weights)}, ` +
        `trainable state ${formatBytes(g.trainable)}, activations ${formatBytes(g.activations)}, output head ` +
        `${formatBytes(g.head)}) but the budget is ${formatBytes(limits.budget)}. ` +
        "Use fewer or shorter sequences per micro-batch, q4_0 weights, a lower LoRA rank, or a smaller model.",
    );
  }
  return est;
}
