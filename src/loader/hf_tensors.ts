// The tensors a Hugging Face Qwen2 checkpoint must hold for a given config.json:
// names, shapes, and whether each is a matrix (kernel format) or a vector (f32).
import type { Qwen2Config } from "../model/config";
import { BIASED, hfLinearName, linearShape } from "../model/weights";
import { LINEAR_NAMES } from "../protocol/lora";

export type ExpectedTensor = {
  name: string;
  /** [rows, cols] for matrices, [n] for vectors. */
  shape: number[];
  kind: "matrix" | "vector";
};

export const EMBED_NAME = "model.embed_tokens.weight";
export const FINAL_NORM_NAME = "model.norm.weight";
export const LM_HEAD_NAME = "lm_head.weight";

export function attnNormName(layer: number): string {
  return `model.layers.${layer}.input_layernorm.weight`;
}

export function mlpNormName(layer: number): string {
  return `model.layers.${layer}.post_attention_layernorm.weight`;
}

/**
 * Every tensor the engine needs, in file order of a typical checkpoint: embedding, then per layer
 * norms, linear weights (out, in) and q/k/v biases, then the final norm, and lm_head.weight (V, C) when not tied.
 */
export function expectedTensors(c: Qwen2Config): ExpectedTensor[] {
  const out: ExpectedTensor[] = [{ name: EMBED_NAME, shape: [c.vocab, c.hidden], kind: "matrix" }];
  for (let l = 0; l < c.layers; l++) {
    out.push({ name: attnNormName(l), shape: [c.hidden], kind: "vector" });
    out.push({ name: mlpNormName(l), shape: [c.hidden], kind: "vector" });
    for (const name of LINEAR_NAMES) {
      out.push({ name: hfLinearName(l, name), shape: linearShape(c, name), kind: "matrix" });
      if (BIASED.includes(name)) {
        out.push({ name: hfLinearName(l, name, "bias"), shape: [linearShape(c, name)[0]], kind: "vector" });
      }
    }
  }
  out.push({ name: FINAL_NORM_NAME, shape: [c.hidden], kind: "vector" });
  if (!c.tieEmbeddings) out.push({ name: LM_HEAD_NAME, shape: [c.vocab, c.hidden], kind: "matrix" });
  return out;
}
