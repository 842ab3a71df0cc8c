// One path from any model source to a model on the GPU: a Hugging Face folder
// (Hub, dropped folder, URL, cache, or a folder the command line serves) or a
// lone GGUF file. Reads the config first, refuses what cannot fit before any
// upload, then streams tensors from the files straight into GPU buffers.
import { readGgufHeader } from "../formats/gguf";
import { readJson, type FileSet } from "../io/source";
import { type Qwen2Config, parseQwen2Config } from "../model/config";
import { GpuModelBuilder } from "../model/gpu_model";
import type { LoraWeights } from "../model/lora";
import type { TrainMode } from "../model/memory";
import { ModelRuntime } from "../model/runtime";
import type { WeightFormat } from "../protocol/tensors";
import { loadHfFolder } from "./hf_folder";
import { configFromGguf, loadGgufModel } from "./gguf_model";
import type { ProgressCallback } from "./load_progress";

export type LoadOptions = {
  quant: WeightFormat;
  mode: TrainMode;
  lora?: LoraWeights;
  budget?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
};

export type LoadedModel = { runtime: ModelRuntime; config: Qwen2Config; kind: "safetensors" | "gguf" };

/** The GGUF file of a set, when the set is a GGUF model (one .gguf and no config.json). */
export function ggufFileOf(files: FileSet): string | undefined {
  const ggufs = files.list().filter((n) => n.toLowerCase().endsWith(".gguf"));
  if (ggufs.length === 0 || files.get("config.json")) return undefined;
  if (ggufs.length > 1) {
    throw new Error(`${files.label} holds ${ggufs.length} .gguf files (${ggufs.slice(0, 3).join(", ")}…): choose one file to load`);
  }
  return ggufs[0];
}

/** Reads only the model's configuration (config.json, or a GGUF's metadata). */
export async function readModelConfig(files: FileSet, signal?: AbortSignal): Promise<{ config: Qwen2Config; kind: LoadedModel["kind"] }> {
  const gguf = ggufFileOf(files);
  if (gguf) return { config: configFromGguf(await readGgufHeader(files.get(gguf)!, signal)), kind: "gguf" };
  const configFile = files.get("config.json");
  if (!configFile) {
    const names = files.list();
    throw new Error(
      `${files.label} has no config.json and no .gguf file (it has ${names.length ? names.slice(0, 8).join(", ") : "no files"}): ` +
        "a model folder needs config.json, tokenizer.json and *.safetensors, or give one .gguf file",
    );
  }
  return { config: parseQwen2Config(await readJson(configFile, signal)), kind: "safetensors" };
}

/** Loads a model from its files onto the device, ready to run. */
export async function loadModel(device: GPUDevice, files: FileSet, opts: LoadOptions): Promise<LoadedModel> {
  const { config, kind } = await readModelConfig(files, opts.signal);
  ModelRuntime.checkWeightsFit(device, config, opts.quant, opts.mode, opts.budget);
  const builder = new GpuModelBuilder(device, config, opts.mode);
  const common = { quant: opts.quant, sink: builder.sink, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) };
  if (kind === "gguf") await loadGgufModel(files.get(ggufFileOf(files)!)!, common);
  else await loadHfFolder(files, common);
  const model = builder.finish(opts.lora);
  return { runtime: ModelRuntime.fromGpuModel(device, model, opts.budget), config, kind };
}
