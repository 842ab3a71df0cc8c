// The tiny model as the files of a Hugging Face Qwen2 folder: config.json,
// tokenizer.json, tokenizer_config.json and model.safetensors (tensors under
// their Hugging Face names, in checkpoint order), from the trained parameters
// the runtime reads back; plus tapo.json, the hints TAPO Studio reads with a
// model (src/rollout/model_hints.ts): the rollout format it was trained on, and
// the tool settings its demonstrations used. model.safetensors.index.json maps
// every tensor to model.safetensors: a folder URL cannot be listed, so loaders
// probe for the index, and a server that answers unknown paths with its app
// page (Vite's dev and preview servers, many static hosts) would otherwise
// hand them HTML instead of a 404.
import { type FloatDtype, writeSafetensors } from "../formats/safetensors";
import { expectedTensors } from "../loader/hf_tensors";
import type { Qwen2Config } from "../model/config";
import { tinyConfigJson, type TinyTokenizerFiles } from "./tokenizer_builder";

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** tapo.json: the format the model was trained to follow, its tool-call limit, the search hits per query its demonstrations saw, and the built-in task level it learns from. */
export function tinyHints(s: { format: string; maxTurns: number; searchTopK: number; level: string }): Record<string, unknown> {
  return { format: s.format, maxTurns: s.maxTurns, searchTopK: s.searchTopK, taskLevel: s.level };
}

/** model.safetensors.index.json for a single-file checkpoint: every tensor in model.safetensors. */
export function singleFileIndex(config: Qwen2Config, dtype: FloatDtype): Record<string, unknown> {
  const tensors = expectedTensors(config);
  const bytes = tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1) * (dtype === "F32" ? 4 : 2), 0);
  return { metadata: { total_size: bytes }, weight_map: Object.fromEntries(tensors.map((t) => [t.name, "model.safetensors"])) };
}

/** Name → bytes of every file of the folder; throws when a tensor the config needs is missing or mis-sized. */
export function tinyModelFiles(
  config: Qwen2Config,
  tokenizer: TinyTokenizerFiles,
  params: Map<string, Float32Array>,
  dtype: FloatDtype,
  hints: Record<string, unknown>,
): Map<string, Uint8Array> {
  const tensors = expectedTensors(config).map((t) => {
    const data = params.get(t.name);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!data) throw new Error(`the trained model has no tensor ${t.name}`);
    if (data.length !== size) throw new Error(`${t.name} has ${data.length} values, but its shape [${t.shape}] needs ${size}`);
    return { name: t.name, dtype, shape: t.shape, data };
  });
  return new Map([
    ["config.json", json(tinyConfigJson(config, tokenizer, dtype === "F32" ? "float32" : "float16"))],
    ["tokenizer.json", json(tokenizer.tokenizerJson)],
    ["tokenizer_config.json", json(tokenizer.tokenizerConfig)],
    ["model.safetensors", writeSafetensors(tensors, { format: "pt" })],
    ["model.safetensors.index.json", json(singleFileIndex(config, dtype))],
    ["tapo.json", json(hints)],
  ]);
}
