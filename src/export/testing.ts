// Test helper (Node only): a random Qwen2 model with biases, GQA and an untied
// head, as a Hugging Face folder in memory carrying the bundled tiny model's
// tokenizer (vocab 768), and a random PEFT adapter for it (B ≠ 0).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FileSet } from "../io/source";
import { hfFolderBytes, memoryFileSet } from "../loader/hf_testing";
import type { Qwen2Config } from "../model/config";
import { type LoraWeights, initLora } from "../model/lora";
import { savePeftAdapter } from "../model/peft";
import { tinyConfig } from "../model/testing";
import { type ModelWeights, randomWeights } from "../model/weights";
import { LINEAR_NAMES } from "../protocol/lora";

export const TINY_DIR = fileURLToPath(new URL("../../public/models/tiny", import.meta.url));

/** hidden 64, 4 heads over 2 kv heads, 2 layers, vocab 768 (the bundled tokenizer's), untied head. */
export function exportTestConfig(over: Partial<Qwen2Config> = {}): Qwen2Config {
  return tinyConfig({ vocab: 768, tieEmbeddings: false, ...over });
}

/** The model's folder: config.json, model.safetensors and the bundled tokenizer files. */
export function randomModelFolder(seed: number, config = exportTestConfig()): { weights: ModelWeights; files: FileSet } {
  const weights = randomWeights(config, seed);
  const bytes = hfFolderBytes(weights);
  for (const name of ["tokenizer.json", "tokenizer_config.json"]) bytes.set(name, readFileSync(`${TINY_DIR}/${name}`));
  return { weights, files: memoryFileSet(`random model ${seed}`, bytes) };
}

/** A rank-4 adapter on every projection with random A and B (alpha 8: scale 2), and its PEFT files. */
export function randomAdapter(config: Qwen2Config, seed: number, targets = [...LINEAR_NAMES]): { lora: LoraWeights; files: FileSet } {
  const lora = initLora(config, { r: 4, alpha: 8, targets }, seed, 0.2);
  const saved = savePeftAdapter(lora, { baseModel: "test" });
  const files = new Map<string, Uint8Array>([
    ["adapter_config.json", new TextEncoder().encode(saved["adapter_config.json"])],
    ["adapter_model.safetensors", saved["adapter_model.safetensors"]],
  ]);
  return { lora, files: memoryFileSet(`adapter ${seed}`, files) };
}
