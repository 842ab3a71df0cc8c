// The base model's tensors on the CPU, in the kernel formats, named as in
// Hugging Face Qwen2 checkpoints. Loaders (safetensors, GGUF) produce this;
// tests make random ones. Linear weights are (out, in) row-major, as in PyTorch.
import type { LoadedTensor } from "../protocol/tensors";
import { quantize } from "../quant/weights";
import { type WeightFormat, type WeightMatrix } from "../protocol/tensors";
import { mulberry32 } from "../util/random";
import type { Qwen2Config } from "./config";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";

export const BIASED: readonly LinearName[] = ["q", "k", "v"];

export type LayerWeights = {
  attnNorm: Float32Array; // (C)
  mlpNorm: Float32Array; // (C)
  linear: Record<LinearName, WeightMatrix>;
  bias: Record<"q" | "k" | "v", Float32Array>; // (NH·HD), (NKV·HD), (NKV·HD)
};

export type ModelWeights = {
  config: Qwen2Config;
  embed: WeightMatrix; // (V, C)
  layers: LayerWeights[];
  finalNorm: Float32Array; // (C)
  /** The output head (V, C); undefined when tied to the embedding. */
  lmHead: WeightMatrix | undefined;
};

/** [out, in] of a linear layer. */
export function linearShape(c: Qwen2Config, name: LinearName): [number, number] {
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  switch (name) {
    case "q":
      return [q, c.hidden];
    case "k":
    case "v":
      return [kv, c.hidden];
    case "o":
      return [c.hidden, q];
    case "gate":
    case "up":
      return [c.intermediate, c.hidden];
    case "down":
      return [c.hidden, c.intermediate];
  }
}

/** The Hugging Face tensor name of a layer's linear weight (or bias). */
export function hfLinearName(layer: number, name: LinearName, part: "weight" | "bias" = "weight"): string {
  const module = name === "gate" || name === "up" || name === "down" ? `mlp.${name}_proj` : `self_attn.${name}_proj`;
  return `model.layers.${layer}.${module}.${part}`;
}

/**
 * Random weights of a Qwen2-shaped model (tests, and the tiny model's start):
 * linear and embedding values uniform in ±`scale`/sqrt(in), norms near 1, small biases.
 */
export function randomWeights(c: Qwen2Config, seed: number, format: WeightFormat = "f32", scale = 1): ModelWeights {
  const rand = mulberry32(seed);
  const uniform = (n: number, bound: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * bound;
    return out;
  };
  const matrix = (rows: number, cols: number) => quantize(uniform(rows * cols, scale / Math.sqrt(cols)), rows, cols, format);
  const norm = () => uniform(c.hidden, 0.2).map((v) => 1 + v);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.layers; l++) {
    const linear = {} as Record<LinearName, WeightMatrix>;
    for (const name of LINEAR_NAMES) {
      const [out, inp] = linearShape(c, name);
      linear[name] = matrix(out, inp);
    }
    layers.push({
      attnNorm: norm(),
      mlpNorm: norm(),
      linear,
      bias: {
        q: uniform(c.heads * c.headDim, 0.1),
        k: uniform(c.kvHeads * c.headDim, 0.1),
        v: uniform(c.kvHeads * c.headDim, 0.1),
      },
    });
  }
  return {
    config: c,
    embed: quantize(uniform(c.vocab * c.hidden, scale), c.vocab, c.hidden, format),
    layers,
    finalNorm: norm(),
    lmHead: c.tieEmbeddings ? undefined : matrix(c.vocab, c.hidden),
  };
}

/** Every tensor of the model under its Hugging Face name, in checkpoint order. */
export function tensorsOf(w: ModelWeights): LoadedTensor[] {
  const out: LoadedTensor[] = [{ name: "model.embed_tokens.weight", value: w.embed }];
  w.layers.forEach((layer, l) => {
    out.push({ name: `model.layers.${l}.input_layernorm.weight`, value: layer.attnNorm });
    out.push({ name: `model.layers.${l}.post_attention_layernorm.weight`, value: layer.mlpNorm });
    for (const name of LINEAR_NAMES) {
      out.push({ name: hfLinearName(l, name), value: layer.linear[name] });
      if (name === "q" || name === "k" || name === "v") out.push({ name: hfLinearName(l, name, "bias"), value: layer.bias[name] });
    }
  });
  out.push({ name: "model.norm.weight", value: w.finalNorm });
  if (w.lmHead) out.push({ name: "lm_head.weight", value: w.lmHead });
  return out;
}
