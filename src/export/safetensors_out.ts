// The merged model as a Hugging Face folder: config.json, generation_config.json,
// tokenizer.json, tokenizer_config.json (with the chat template) and one
// model.safetensors in F32 or F16, tensors under their Qwen2 names
// (linear weights (out, in), embedding (V, C), norms and biases (n)).
import { writeSafetensors, type SafetensorsInput } from "../formats/safetensors";
import { expectedTensors } from "../loader/hf_tensors";
import { toHfConfigJson } from "../model/config";
import { type ModelWeights, tensorsOf } from "../model/weights";
import { dequantize } from "../quant/weights";
import type { ExportDtype } from "./dtypes";
import { ExportError } from "./errors";
import type { ExportSource } from "./source";

const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/** Every file of the folder, name -> bytes. */
export function safetensorsFolder(weights: ModelWeights, src: Omit<ExportSource, "weights">, dtype: ExportDtype): Map<string, Uint8Array> {
  if (dtype !== "f32" && dtype !== "f16") throw new ExportError(`a safetensors export holds f32 or f16, not ${dtype}: use --to gguf for ${dtype}`);
  const st = dtype === "f32" ? "F32" : "F16";
  const shapes = new Map(expectedTensors(weights.config).map((t) => [t.name, t.shape]));
  const tensors: SafetensorsInput[] = tensorsOf(weights).map(({ name, value }) => ({
    name,
    dtype: st,
    shape: shapes.get(name)!,
    data: value instanceof Float32Array ? value : dequantize(value),
  }));
  const config: Record<string, unknown> = { ...toHfConfigJson(weights.config), torch_dtype: dtype === "f32" ? "float32" : "float16" };
  for (const key of ["bos_token_id", "eos_token_id"]) if (src.configJson[key] !== undefined) config[key] = src.configJson[key];
  return new Map([
    ["config.json", json(config)],
    ["generation_config.json", json(src.generationConfig)],
    ["tokenizer.json", json(src.tokenizerJson)],
    ["tokenizer_config.json", json(src.tokenizerConfig)],
    ["model.safetensors", writeSafetensors(tensors, { format: "pt" })],
  ]);
}
