// Writes a (tiny) Qwen2 ModelWeights as a llama.cpp-style GGUF, for tests and
// tools: the qwen2.* metadata llama.cpp's converter writes, optional tokenizer
// metadata, matrices as their GGUF blocks (Q4_0/Q8_0), F32 or F16, and
// norms/biases as F32.
import { GGML_TYPE, GGUF_VALUE, writeGguf, type GgufTensorData, type GgufTypedValue } from "../formats/gguf";
import { hfLinearName, type ModelWeights } from "../model/weights";
import { LINEAR_NAMES } from "../protocol/lora";
import { f32ToF16Bits } from "../quant/f16";
import { dequantize, toGgufBlocks } from "../quant/weights";
import { type WeightMatrix } from "../protocol/tensors";
import { qwen2GgufTensors } from "./gguf_names";
import type { GgufTokenizerMetadata } from "./gguf_tokenizer";

export type Qwen2GgufOptions = {
  tokenizer?: GgufTokenizerMetadata;
  /** "native": Q4_0/Q8_0 matrices as their blocks, f32 as F32; "f16": every matrix as F16. */
  types: "native" | "f16";
  /** Overrides general.architecture (tests of the refusal). */
  architecture?: string;
};

function matrixTensor(m: WeightMatrix, types: "native" | "f16"): { type: number; data: Uint8Array } {
  if (types === "f16") {
    const values = dequantize(m);
    const halves = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) halves[i] = f32ToF16Bits(values[i] as number);
    return { type: GGML_TYPE.F16, data: new Uint8Array(halves.buffer) };
  }
  if (m.format === "f32") {
    return { type: GGML_TYPE.F32, data: new Uint8Array(m.data.buffer, m.data.byteOffset, m.rows * m.cols * 4).slice() };
  }
  return { type: m.format === "q8_0" ? GGML_TYPE.Q8_0 : GGML_TYPE.Q4_0, data: toGgufBlocks(m) };
}

function vectorTensor(v: Float32Array): { type: number; data: Uint8Array } {
  return { type: GGML_TYPE.F32, data: new Uint8Array(Float32Array.from(v).buffer) };
}

const u32 = (value: number): GgufTypedValue => ({ type: GGUF_VALUE.UINT32, value });
const f32 = (value: number): GgufTypedValue => ({ type: GGUF_VALUE.FLOAT32, value });
const str = (value: string): GgufTypedValue => ({ type: GGUF_VALUE.STRING, value });

function tokenizerEntries(t: GgufTokenizerMetadata): [string, GgufTypedValue][] {
  const out: [string, GgufTypedValue][] = [
    ["tokenizer.ggml.model", str(t.model)],
    ["tokenizer.ggml.tokens", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.STRING, value: t.tokens }],
  ];
  if (t.pre !== undefined) out.push(["tokenizer.ggml.pre", str(t.pre)]);
  if (t.tokenTypes) out.push(["tokenizer.ggml.token_type", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.INT32, value: t.tokenTypes }]);
  out.push(["tokenizer.ggml.merges", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.STRING, value: t.merges }]);
  if (t.bosId !== undefined) out.push(["tokenizer.ggml.bos_token_id", u32(t.bosId)]);
  if (t.eosId !== undefined) out.push(["tokenizer.ggml.eos_token_id", u32(t.eosId)]);
  if (t.padId !== undefined) out.push(["tokenizer.ggml.padding_token_id", u32(t.padId)]);
  if (t.chatTemplate !== undefined) out.push(["tokenizer.chat_template", str(t.chatTemplate)]);
  return out;
}

/** The metadata and tensors writeQwen2Gguf writes (tests edit them to build bad or mixed files). */
export function qwen2GgufParts(w: ModelWeights, opts: Qwen2GgufOptions): { metadata: [string, GgufTypedValue][]; tensors: GgufTensorData[] } {
  const c = w.config;
  const metadata: [string, GgufTypedValue][] = [
    ["general.architecture", str(opts.architecture ?? "qwen2")],
    ["general.name", str("TAPO test model")],
    ["qwen2.block_count", u32(c.layers)],
    ["qwen2.context_length", u32(c.maxPositions)],
    ["qwen2.embedding_length", u32(c.hidden)],
    ["qwen2.feed_forward_length", u32(c.intermediate)],
    ["qwen2.attention.head_count", u32(c.heads)],
    ["qwen2.attention.head_count_kv", u32(c.kvHeads)],
    ["qwen2.rope.freq_base", f32(c.ropeTheta)],
    ["qwen2.attention.layer_norm_rms_epsilon", f32(c.rmsEps)],
    ...(opts.tokenizer ? tokenizerEntries(opts.tokenizer) : []),
  ];
  const byHf = new Map<string, WeightMatrix | Float32Array>();
  byHf.set("model.embed_tokens.weight", w.embed);
  byHf.set("model.norm.weight", w.finalNorm);
  if (w.lmHead) byHf.set("lm_head.weight", w.lmHead);
  w.layers.forEach((l, i) => {
    byHf.set(`model.layers.${i}.input_layernorm.weight`, l.attnNorm);
    byHf.set(`model.layers.${i}.post_attention_layernorm.weight`, l.mlpNorm);
    for (const name of LINEAR_NAMES) byHf.set(hfLinearName(i, name), l.linear[name]);
    for (const name of ["q", "k", "v"] as const) byHf.set(hfLinearName(i, name, "bias"), l.bias[name]);
  });
  const tensors = qwen2GgufTensors(c).map((spec) => {
    const value = byHf.get(spec.hf);
    if (!value) throw new Error(`writeQwen2Gguf: the weights have no ${spec.hf}`);
    const t = value instanceof Float32Array ? vectorTensor(value) : matrixTensor(value, opts.types);
    return { name: spec.gguf, dims: spec.dims, ...t };
  });
  return { metadata, tensors };
}

/** A whole GGUF file of the weights (see qwen2GgufParts). */
export function writeQwen2Gguf(weights: ModelWeights, opts: Qwen2GgufOptions): Uint8Array {
  const { metadata, tensors } = qwen2GgufParts(weights, opts);
  return writeGguf(metadata, tensors);
}
