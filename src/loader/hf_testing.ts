// Writes Qwen2 models as Hugging Face folders in memory (config.json and
// safetensors, optionally sharded with an index): the inputs of loader tests
// and of anything that needs a real-format model without a download.
import { type SafetensorsInput, writeSafetensors } from "../formats/safetensors";
import type { FloatDtype } from "../formats/safetensors_dtypes";
import { type FileSet, bytesSource, fileSet } from "../io/source";
import { type Qwen2Config, toHfConfigJson } from "../model/config";
import type { ModelWeights } from "../model/weights";
import { dequantize } from "../quant/weights";
import { INDEX_FILE, SINGLE_FILE } from "./hf_folder";
import { EMBED_NAME, FINAL_NORM_NAME, LM_HEAD_NAME, attnNormName, expectedTensors, mlpNormName } from "./hf_tensors";
import { BIASED, hfLinearName } from "../model/weights";
import { LINEAR_NAMES } from "../protocol/lora";

/** A Hugging Face config.json object for a Qwen2 config (as checkpoints in bf16 describe themselves). */
export function qwen2ConfigJson(c: Qwen2Config): Record<string, unknown> {
  return { ...toHfConfigJson(c), torch_dtype: "bfloat16" };
}

/** Every tensor of the model by HF name, as f32 values (quantized matrices dequantized). */
export function hfTensorValues(w: ModelWeights): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const matrix = (m: ModelWeights["embed"]) => Float32Array.from(dequantize(m));
  out.set(EMBED_NAME, matrix(w.embed));
  w.layers.forEach((layer, l) => {
    out.set(attnNormName(l), layer.attnNorm);
    out.set(mlpNormName(l), layer.mlpNorm);
    for (const name of LINEAR_NAMES) out.set(hfLinearName(l, name), matrix(layer.linear[name]));
    for (const name of BIASED) out.set(hfLinearName(l, name, "bias"), layer.bias[name as "q" | "k" | "v"]);
  });
  out.set(FINAL_NORM_NAME, w.finalNorm);
  if (w.lmHead) out.set(LM_HEAD_NAME, matrix(w.lmHead));
  return out;
}

export type HfFolderWriteOptions = {
  dtype?: FloatDtype;
  /** Number of shard files (1: model.safetensors without an index). */
  shards?: number;
  /** Tensors to leave out, or to add (name -> values and shape), for tests of damaged folders. */
  drop?: string[];
  extra?: SafetensorsInput[];
};

/** The files of a Hugging Face folder holding `w`: name -> bytes. */
export function hfFolderBytes(w: ModelWeights, opts: HfFolderWriteOptions = {}): Map<string, Uint8Array> {
  const dtype = opts.dtype ?? "F32";
  const values = hfTensorValues(w);
  const shapes = new Map(expectedTensors(w.config).map((t) => [t.name, t.shape]));
  const tensors: SafetensorsInput[] = [...values]
    .filter(([name]) => !opts.drop?.includes(name))
    .map(([name, data]) => ({ name, dtype, shape: shapes.get(name) ?? [w.config.vocab, w.config.hidden], data }));
  tensors.push(...(opts.extra ?? []));
  const files = new Map<string, Uint8Array>();
  files.set("config.json", new TextEncoder().encode(JSON.stringify(qwen2ConfigJson(w.config), null, 2)));
  const shards = opts.shards ?? 1;
  if (shards <= 1) {
    files.set(SINGLE_FILE, writeSafetensors(tensors, { format: "pt" }));
    return files;
  }
  const weightMap: Record<string, string> = {};
  const per = Math.ceil(tensors.length / shards);
  for (let s = 0; s < shards; s++) {
    const name = `model-${String(s + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`;
    const part = tensors.slice(s * per, (s + 1) * per);
    for (const t of part) weightMap[t.name] = name;
    files.set(name, writeSafetensors(part, { format: "pt" }));
  }
  const totalSize = tensors.reduce((sum, t) => sum + t.data.length * (dtype === "F32" ? 4 : 2), 0);
  files.set(INDEX_FILE, new TextEncoder().encode(JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap })));
  return files;
}

/** A FileSet over named bytes. */
export function memoryFileSet(label: string, files: Map<string, Uint8Array>): FileSet {
  return fileSet(label, [...files].map(([name, bytes]) => bytesSource(name, bytes)));
}
