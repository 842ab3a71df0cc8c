// Checks the generation memory plan (Node, no GPU): the KV cache size formula at Qwen2.5-0.5B shape, and refusals that name the figures (binding limit, budget).
import { describe, expect, it } from "vitest";
import { tinyConfig } from "../model/testing";
import { GeneratorTooLargeError, generatorSpecs, planGeneratorMemory } from "./memory";

const QWEN_05B = tinyConfig({ hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, headDim: 64, vocab: 151936 });
const GIB = 2 ** 30;
const limits = { maxBufferSize: 2 * GIB, maxStorageBufferBindingSize: 2 * GIB, budget: 8 * GIB };

describe("planGeneratorMemory", () => {
  it("sizes the KV cache as layers × 2 × (maxSequences + 1) × maxLength × NKV·HD f32", () => {
    const shape = { maxSequences: 16, maxLength: 2048, maxRows: 256 };
    const specs = generatorSpecs(QWEN_05B, { kind: "frozen" }, shape);
    const kv = specs.filter((s) => s.name.startsWith("kv.")).reduce((a, s) => a + s.bytes, 0);
    expect(kv).toBe(24 * 2 * 17 * 2048 * 128 * 4);
    expect(specs.find((s) => s.name === "logits")!.bytes).toBe(16 * 151936 * 4);
    const est = planGeneratorMemory(QWEN_05B, "q4_0", { kind: "frozen" }, shape, limits);
    expect(est.total).toBeGreaterThan(kv);
  });

  it("refuses a cache over the budget, naming the cache size and what to lower", () => {
    const shape = { maxSequences: 64, maxLength: 32768, maxRows: 256 };
    expect(() => planGeneratorMemory(QWEN_05B, "q4_0", { kind: "frozen" }, shape, limits)).toThrow(GeneratorTooLargeError);
    expect(() => planGeneratorMemory(QWEN_05B, "q4_0", { kind: "frozen" }, shape, limits)).toThrow(/KV cache 48\.8 GiB.*Lower maxSequences or maxLength/);
  });

  it("refuses a layer cache larger than one binding", () => {
    const shape = { maxSequences: 64, maxLength: 8192, maxRows: 256 };
    const small = { ...limits, maxStorageBufferBindingSize: 128 * 2 ** 20 };
    expect(() => planGeneratorMemory(QWEN_05B, "q4_0", { kind: "frozen" }, shape, small)).toThrow(/"kv\.l0\.k" needs .* binds at most 128/);
  });
});
