// float64 reference of the whole Qwen2 forward, built from the op references:
// per-token log-probs and entropies of given sequences, with optional LoRA.
// Each sequence runs alone (B = 1, no padding), so comparing with the GPU
// runtime's padded batches also checks its batching. The oracle for the
// runtime tests and for finite-difference gradient checks.
import type { LoraWeights } from "../model/lora";
import { loraScale } from "../model/lora";
import type { ModelWeights } from "../model/weights";
import type { LinearName } from "../protocol/lora";
import { dequantize } from "../quant/weights";
import { attentionForwardRef } from "./attention";
import { embeddingRef } from "./embedding";
import { headRef } from "./head";
import { linearForwardRef } from "./linear";
import { rmsnormForwardRef } from "./rmsnorm";
import { ropeForwardRef } from "./rope";
import { swigluForwardRef } from "./swiglu";

/** The model's tensors dequantized to float64 once, for repeated reference runs. */
export type RefModel = {
  weights: ModelWeights;
  embed: Float64Array;
  head: Float64Array;
  linear: Record<LinearName, Float64Array>[];
};

export function refModel(weights: ModelWeights): RefModel {
  const embed = dequantize(weights.embed);
  return {
    weights,
    embed,
    head: weights.lmHead ? dequantize(weights.lmHead) : embed,
    linear: weights.layers.map((l) => {
      const out = {} as Record<LinearName, Float64Array>;
      for (const [name, m] of Object.entries(l.linear)) out[name as LinearName] = dequantize(m);
      return out;
    }),
  };
}

function addInto(y: Float64Array, x: ArrayLike<number>, scale = 1): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + scale * (x[i] as number);
}

/** log p(s[t+1] | s[..t]) and entropies (length len-1 each) of one sequence. */
export function refSequence(ref: RefModel, seq: number[], lora?: LoraWeights): { logp: Float64Array; entropy: Float64Array } {
  const w = ref.weights;
  const c = w.config;
  const T = seq.length;
  const C = c.hidden;
  const linear = (l: number, name: LinearName, x: Float64Array, bias?: Float32Array): Float64Array => {
    const W = ref.linear[l]![name];
    const [N, K] = [w.layers[l]!.linear[name].rows, w.layers[l]!.linear[name].cols];
    const y = linearForwardRef(x, W, bias, { M: T, N, K });
    const pair = lora?.layers[l]?.[name];
    if (pair && lora) {
      const r = lora.config.r;
      const u = linearForwardRef(x, pair.A, undefined, { M: T, N: r, K });
      addInto(y, linearForwardRef(u, pair.B, undefined, { M: T, N, K: r }), loraScale(lora.config));
    }
    return y;
  };
  const rope = { B: 1, Tmax: T, headDim: c.headDim, theta: c.ropeTheta };
  let x = embeddingRef(seq, ref.embed, c.vocab, C);
  for (let l = 0; l < c.layers; l++) {
    const lw = w.layers[l]!;
    const h1 = rmsnormForwardRef(x, lw.attnNorm, T, C, c.rmsEps).y;
    const q = ropeForwardRef(linear(l, "q", h1, lw.bias.q), { ...rope, heads: c.heads });
    const k = ropeForwardRef(linear(l, "k", h1, lw.bias.k), { ...rope, heads: c.kvHeads });
    const v = linear(l, "v", h1, lw.bias.v);
    const att = attentionForwardRef(q, k, v, [T], { B: 1, Tmax: T, NH: c.heads, NKV: c.kvHeads, HD: c.headDim }).o;
    const xmid = Float64Array.from(x);
    addInto(xmid, linear(l, "o", att));
    const h2 = rmsnormForwardRef(xmid, lw.mlpNorm, T, C, c.rmsEps).y;
    const m = swigluForwardRef(linear(l, "gate", h2), linear(l, "up", h2));
    addInto(xmid, linear(l, "down", m));
    x = xmid;
  }
  const hf = rmsnormForwardRef(x, w.finalNorm, T, C, c.rmsEps).y;
  const rows = T - 1;
  const stats = headRef(hf.subarray(0, rows * C), ref.head, seq.slice(1), rows, c.vocab, C);
  return { logp: stats.logp, entropy: stats.entropy };
}

/** L = Σ_b Σ_t wlogp[b][t]·logp[b][t] + went[b][t]·entropy[b][t]. */
export function refLoss(
  ref: RefModel,
  seqs: number[][],
  wlogp: ArrayLike<number>[],
  went: ArrayLike<number>[] | undefined,
  lora?: LoraWeights,
): number {
  let loss = 0;
  seqs.forEach((s, b) => {
    const { logp, entropy } = refSequence(ref, s, lora);
    for (let t = 0; t < logp.length; t++) {
      loss += (wlogp[b]![t] as number) * (logp[t] as number);
      if (went) loss += (went[b]![t] as number) * (entropy[t] as number);
    }
  });
  return loss;
}
