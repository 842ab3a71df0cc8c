// The Qwen2.5 presets (src/sources/presets.json) with parsed configs, and the
// memory estimate the Model page shows for a preset, a quantization and the
// default training micro-batch, checked against the adapter's limits.
import { type Qwen2Config, parseQwen2Config } from "../model/config";
import { DEFAULT_LORA, type LoraSettings } from "../protocol/lora";
import {
  activationSpecs,
  type BatchShape,
  checkFits,
  loraSpecs,
  type MemoryEstimate,
  ModelTooLargeError,
  summarize,
  weightSpecs,
} from "../model/memory";
import type { WeightFormat } from "../protocol/tensors";
import table from "./presets.json";

/** The quantization the user picks for the frozen base weights ("none" keeps f32). */
export type Quantization = "none" | "q8_0" | "q4_0";
export const QUANTIZATIONS: Quantization[] = ["none", "q8_0", "q4_0"];

/**
 * The base weights' format a model loads with unless the user picks one, in the app and the CLI alike: f32
 * ("none") for the bundled tiny model (a few MB, and quantizing it changes what it answers), q4_0 for the rest.
 */
export function defaultQuantization(bundled: boolean): Quantization {
  return bundled ? "none" : "q4_0";
}

export type Preset = {
  /** Hub id, e.g. "Qwen/Qwen2.5-0.5B-Instruct". */
  id: string;
  size: string;
  variant: "base" | "instruct";
  parameters: number;
  /** bf16 safetensors download size in bytes. */
  weightBytes: number;
  config: Qwen2Config;
  /** The config.json object the config was parsed from. */
  rawConfig: Record<string, unknown>;
};

type Table = {
  defaultBatch: BatchShape;
  defaultBudgetGiB: number;
  sizes: Record<string, { parameters: number; weightBytes: number; config: Record<string, unknown> }>;
  presets: { id: string; size: string; variant: string }[];
};

const data = table as unknown as Table;

export const DEFAULT_BATCH: BatchShape = data.defaultBatch;
export const DEFAULT_BUDGET_BYTES = data.defaultBudgetGiB * 2 ** 30;

export const PRESETS: Preset[] = data.presets.map((p) => {
  const size = data.sizes[p.size];
  if (!size) throw new Error(`presets.json: preset ${p.id} names size ${p.size}, which the table lacks`);
  return {
    id: p.id,
    size: p.size,
    variant: p.variant === "instruct" ? "instruct" : "base",
    parameters: size.parameters,
    weightBytes: size.weightBytes,
    config: parseQwen2Config(size.config),
    rawConfig: size.config,
  };
});

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The kernels' weight format for a quantization choice. */
export function weightFormat(q: Quantization): WeightFormat {
  return q === "none" ? "f32" : q;
}

/** The adapter limits an estimate is checked against; undefined fields are unknown (no adapter yet). */
export type AdapterLimits = { maxBufferSize?: number; maxStorageBufferBindingSize?: number };

export type PresetEstimate = {
  estimate: MemoryEstimate;
  /** Why it will not fit (the figures, and what to change), or undefined when it fits. */
  problem?: string;
};

/**
 * GPU memory for LoRA training of `config` with base weights in `quant` and a (B, Tmax) micro-batch,
 * checked against the adapter's buffer limits (when known) and `budget` bytes.
 */
export function estimateTraining(
  config: Qwen2Config,
  quant: Quantization,
  limits: AdapterLimits,
  budget: number = DEFAULT_BUDGET_BYTES,
  batch: BatchShape = DEFAULT_BATCH,
  lora: LoraSettings = DEFAULT_LORA,
): PresetEstimate {
  const mode = { kind: "lora" as const, lora };
  const maxBuffer = limits.maxBufferSize ?? Number.MAX_SAFE_INTEGER;
  const maxBinding = limits.maxStorageBufferBindingSize ?? Number.MAX_SAFE_INTEGER;
  const specs = [
    ...weightSpecs(config, weightFormat(quant), mode),
    ...loraSpecs(config, lora),
    ...activationSpecs(config, batch, mode, Math.min(maxBinding, 2 ** 31)),
  ];
  try {
    return { estimate: checkFits(specs, { maxBufferSize: maxBuffer, maxStorageBufferBindingSize: maxBinding, budget }) };
  } catch (error) {
    if (error instanceof ModelTooLargeError) return { estimate: summarize(specs), problem: error.message };
    throw error;
  }
}
