// Checks the memory plan at real Qwen2.5 shapes: 0.5B with 8×1024 LoRA training fits 4 GiB, and refusals name figures. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { parseQwen2Config } from "./config";
import { DEFAULT_LORA } from "../protocol/lora";
import { activationSpecs, checkFits, loraSpecs, ModelTooLargeError, summarize, weightSpecs } from "./memory";

const qwen05 = parseQwen2Config({
  model_type: "qwen2", hidden_size: 896, intermediate_size: 4864, num_attention_heads: 14, num_hidden_layers: 24,
  num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true, rope_theta: 1e6,
});
const GiB = 2 ** 30;

describe("memory plan", () => {
  const mode = { kind: "lora" as const, lora: DEFAULT_LORA };
  const specs = [
    ...weightSpecs(qwen05, "q4_0", mode),
    ...loraSpecs(qwen05, DEFAULT_LORA),
    ...activationSpecs(qwen05, { B: 8, Tmax: 1024 }, mode, 2 * GiB),
  ];

  it("fits Qwen2.5-0.5B (Q4_0, LoRA r=16 on all linears) with 8 sequences of 1024 tokens in 4 GiB", () => {
    const est = checkFits(specs, { maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB, budget: 4 * GiB });
    expect(est.total).toBeLessThan(4 * GiB);
    // Q4_0 is 4.5 bits a weight: ~0.49 B parameters -> ~0.28 GB.
    expect(est.byGroup.weights / 1e9).toBeGreaterThan(0.26);
    expect(est.byGroup.weights / 1e9).toBeLessThan(0.30);
    // The residual checkpoints: 25 × 8192 × 896 × 4 bytes.
    const ckpts = specs.filter((s) => s.name.startsWith("ckpt")).reduce((a, s) => a + s.bytes, 0);
    expect(ckpts).toBe(25 * 8192 * 896 * 4);
  });

  it("refuses a buffer larger than the adapter can bind, naming it and the limits", () => {
    expect(() => checkFits(specs, { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20, budget: 8 * GiB })).toThrow(
      /buffer "g" needs 152 MiB.*binds at most 128 MiB/,
    );
  });

  it("refuses a plan over the budget, with the breakdown", () => {
    const full = [...weightSpecs(qwen05, "f32", { kind: "full" }), ...activationSpecs(qwen05, { B: 8, Tmax: 1024 }, { kind: "full" }, 2 * GiB)];
    expect(summarize(full).total).toBeGreaterThan(4 * GiB);
    expect(() => checkFits(full, { maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 4 * GiB, budget: 4 * GiB })).toThrow(ModelTooLargeError);
  });
});
