// LoRA adapters on the CPU, PEFT convention: for a linear W (out N, in K),
// A: (r, K), B: (N, r), y = x·Wᵀ + (alpha / r)·(x·Aᵀ)·Bᵀ. PEFT initialises A
// with Kaiming-uniform and B with zeros, so a fresh adapter changes nothing.
import { mulberry32 } from "../util/random";
import type { Qwen2Config } from "./config";
import { linearShape } from "./weights";
import type { LinearName, LoraSettings } from "../protocol/lora";

export type LoraPair = { A: Float32Array; B: Float32Array };

export type LoraWeights = {
  config: LoraSettings;
  /** layers[l][target] for every target in config.targets. */
  layers: Partial<Record<LinearName, LoraPair>>[];
};

export function loraScale(c: LoraSettings): number {
  return c.alpha / c.r;
}

/** PEFT's initialisation: A ~ U(±1/sqrt(K)) (Kaiming-uniform with a = sqrt(5)), B = 0 unless `randomB` (tests). */
export function initLora(model: Qwen2Config, config: LoraSettings, seed: number, randomB = 0): LoraWeights {
  if (!Number.isInteger(config.r) || config.r <= 0) throw new Error(`LoRA rank must be a positive integer, got ${config.r}`);
  const rand = mulberry32(seed);
  const layers: Partial<Record<LinearName, LoraPair>>[] = [];
  for (let l = 0; l < model.layers; l++) {
    const layer: Partial<Record<LinearName, LoraPair>> = {};
    for (const t of config.targets) {
      const [N, K] = linearShape(model, t);
      const bound = 1 / Math.sqrt(K);
      const A = new Float32Array(config.r * K).map(() => (2 * rand() - 1) * bound);
      const B = new Float32Array(N * config.r).map(() => (2 * rand() - 1) * randomB);
      layer[t] = { A, B };
    }
    layers.push(layer);
  }
  return { config, layers };
}

/** PEFT's tensor name for an adapter matrix. */
export function peftName(layer: number, target: LinearName, which: "A" | "B"): string {
  const module = target === "gate" || target === "up" || target === "down" ? `mlp.${target}_proj` : `self_attn.${target}_proj`;
  return `base_model.model.model.layers.${layer}.${module}.lora_${which}.weight`;
}
