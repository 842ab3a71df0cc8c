// llama.cpp's tensor names for a Qwen2 GGUF and their Hugging Face names, with
// the shape each must have for a given config. GGUF dims are in ne order:
// [cols, rows] for a (rows, cols) matrix, [n] for a vector.
import type { Qwen2Config } from "../model/config";
import { hfLinearName, linearShape } from "../model/weights";
import { type LinearName } from "../protocol/lora";

/** One tensor the engine needs: its GGUF name, HF name, and GGUF dims. */
export type GgufTensorSpec = { gguf: string; hf: string; dims: number[]; matrix: boolean };

const GGUF_LINEAR: Record<LinearName, string> = {
  q: "attn_q",
  k: "attn_k",
  v: "attn_v",
  o: "attn_output",
  gate: "ffn_gate",
  up: "ffn_up",
  down: "ffn_down",
};

/** Every tensor a Qwen2 GGUF must hold for this config, in llama.cpp's usual file order. */
export function qwen2GgufTensors(c: Qwen2Config): GgufTensorSpec[] {
  const specs: GgufTensorSpec[] = [
    { gguf: "token_embd.weight", hf: "model.embed_tokens.weight", dims: [c.hidden, c.vocab], matrix: true },
  ];
  const kv = c.kvHeads * c.headDim;
  const biasSize = { q: c.heads * c.headDim, k: kv, v: kv };
  for (let l = 0; l < c.layers; l++) {
    const p = `blk.${l}.`;
    const hfp = `model.layers.${l}.`;
    specs.push({ gguf: `${p}attn_norm.weight`, hf: `${hfp}input_layernorm.weight`, dims: [c.hidden], matrix: false });
    for (const name of ["q", "k", "v"] as const) {
      const [rows, cols] = linearShape(c, name);
      specs.push({ gguf: `${p}${GGUF_LINEAR[name]}.weight`, hf: hfLinearName(l, name), dims: [cols, rows], matrix: true });
      specs.push({ gguf: `${p}${GGUF_LINEAR[name]}.bias`, hf: hfLinearName(l, name, "bias"), dims: [biasSize[name]], matrix: false });
    }
    const [oRows, oCols] = linearShape(c, "o");
    specs.push({ gguf: `${p}attn_output.weight`, hf: hfLinearName(l, "o"), dims: [oCols, oRows], matrix: true });
    specs.push({ gguf: `${p}ffn_norm.weight`, hf: `${hfp}post_attention_layernorm.weight`, dims: [c.hidden], matrix: false });
    for (const name of ["gate", "up", "down"] as const) {
      const [rows, cols] = linearShape(c, name);
      specs.push({ gguf: `${p}${GGUF_LINEAR[name]}.weight`, hf: hfLinearName(l, name), dims: [cols, rows], matrix: true });
    }
  }
  specs.push({ gguf: "output_norm.weight", hf: "model.norm.weight", dims: [c.hidden], matrix: false });
  if (!c.tieEmbeddings) specs.push({ gguf: "output.weight", hf: "lm_head.weight", dims: [c.hidden, c.vocab], matrix: true });
  return specs;
}
