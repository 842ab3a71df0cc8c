// The merged model as one GGUF file in llama.cpp's "qwen2" conventions (as
// convert_hf_to_gguf.py writes them): general.* (architecture, type, name,
// file_type, quantization_version), qwen2.* hyperparameters, tokenizer.ggml.*
// (gpt2 BPE) and the chat template; tensors blk.N.attn_q.weight … with dims in
// ne order [cols, rows]. Matrices in the chosen dtype (F32, F16, Q8_0, Q4_0);
// norms and biases always F32, as llama.cpp keeps them.
import { GGUF_VALUE, writeGguf, type GgufTypedValue } from "../formats/gguf";
import { qwen2GgufParts } from "../loader/gguf_model";
import type { ModelWeights } from "../model/weights";
import type { WeightMatrix } from "../protocol/tensors";
import { dequantize, quantize } from "../quant/weights";
import type { GgufTokenizerMeta } from "../tokenizer/from_gguf";
import type { ExportDtype } from "./dtypes";
import { ExportError } from "./errors";

/** llama.cpp's llama_ftype of a file whose matrices are all of one type. */
export const GGUF_FILE_TYPE: Record<ExportDtype, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };

function quantized(m: WeightMatrix, dtype: "q8_0" | "q4_0", name: string): WeightMatrix {
  if (m.cols % 32 !== 0) {
    throw new ExportError(`${name} has ${m.cols} columns, not a multiple of 32: ${dtype} stores rows in blocks of 32; export as f16 or f32`);
  }
  return quantize(dequantize(m), m.rows, m.cols, dtype);
}

/** The weights with every matrix in `dtype` (f32 inputs; f16 is converted by the writer). */
function inDtype(w: ModelWeights, dtype: ExportDtype): ModelWeights {
  if (dtype !== "q8_0" && dtype !== "q4_0") return w;
  return {
    ...w,
    embed: quantized(w.embed, dtype, "the embedding"),
    lmHead: w.lmHead ? quantized(w.lmHead, dtype, "lm_head") : undefined,
    layers: w.layers.map((l, i) => ({
      ...l,
      linear: Object.fromEntries(Object.entries(l.linear).map(([n, m]) => [n, quantized(m, dtype, `layer ${i} ${n}_proj`)])) as typeof l.linear,
    })),
  };
}

const str = (value: string): GgufTypedValue => ({ type: GGUF_VALUE.STRING, value });
const u32 = (value: number): GgufTypedValue => ({ type: GGUF_VALUE.UINT32, value });

/** The GGUF file's bytes. `name` goes to general.name. */
export function ggufFile(weights: ModelWeights, tokenizer: GgufTokenizerMeta, dtype: ExportDtype, name: string): Uint8Array {
  const c = weights.config;
  const parts = qwen2GgufParts(inDtype(weights, dtype), { tokenizer, types: dtype === "f16" ? "f16" : "native" });
  const isGeneral = ([k]: [string, GgufTypedValue]) => k.startsWith("general.");
  const isTokenizer = ([k]: [string, GgufTypedValue]) => k.startsWith("tokenizer.");
  const model = parts.metadata.filter((e) => !isGeneral(e) && !isTokenizer(e));
  if (c.headDim * c.heads !== c.hidden) model.push(["qwen2.attention.key_length", u32(c.headDim)], ["qwen2.attention.value_length", u32(c.headDim)]);
  const metadata: [string, GgufTypedValue][] = [
    ["general.architecture", str("qwen2")],
    ["general.type", str("model")],
    ["general.name", str(name)],
    ...model,
    ["general.file_type", u32(GGUF_FILE_TYPE[dtype])],
    ["general.quantization_version", u32(2)],
    ...parts.metadata.filter(isTokenizer),
    ["tokenizer.ggml.add_bos_token", { type: GGUF_VALUE.BOOL, value: false }],
  ];
  return writeGguf(metadata, parts.tensors);
}
