// Checks the preset table and its memory estimates (pure, Node, no GPU): every preset parses, sizes follow the
// parameter counts, quantization orders the estimates, and a small adapter gets a warning that names the figures.
import { describe, expect, it } from "vitest";
import { parameterCount } from "../model/config";
import { DEFAULT_BUDGET_BYTES, estimateTraining, findPreset, PRESETS } from "./presets";

describe("Qwen2.5 presets", () => {
  it("has base and Instruct for each size, download = parameters × 2 bytes (bf16)", () => {
    expect(PRESETS.map((p) => p.id)).toEqual(
      ["0.5B", "1.5B", "3B", "7B"].flatMap((s) => [`Qwen/Qwen2.5-${s}`, `Qwen/Qwen2.5-${s}-Instruct`]),
    );
    for (const p of PRESETS) {
      expect(parameterCount(p.config), p.id).toBe(p.parameters);
      expect(p.weightBytes, p.id).toBe(2 * p.parameters);
    }
    // The published 0.5B safetensors are 988 MB.
    expect(findPreset("Qwen/Qwen2.5-0.5B")!.weightBytes / 1e6).toBeCloseTo(988, 0);
    expect(findPreset("Qwen/Qwen2.5-7B")!.config.tieEmbeddings).toBe(false);
  });

  it("orders estimates q4_0 < q8_0 < none and by model size", () => {
    const limits = { maxBufferSize: 2 ** 40, maxStorageBufferBindingSize: 2 ** 40 };
    for (const p of PRESETS) {
      const [n, q8, q4] = (["none", "q8_0", "q4_0"] as const).map((q) => estimateTraining(p.config, q, limits, 2 ** 50).estimate);
      expect(q4!.total).toBeLessThan(q8!.total);
      expect(q8!.total).toBeLessThan(n!.total);
      // Only the weights change with quantization.
      expect(n!.total - q4!.total).toBe(n!.byGroup.weights - q4!.byGroup.weights);
    }
    const totals = PRESETS.filter((p) => p.variant === "base").map((p) => estimateTraining(p.config, "q4_0", limits).estimate.total);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
  });

  it("fits 0.5B q4_0 in the default budget and warns for 7B f32, naming the figures", () => {
    const limits = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 };
    const small = estimateTraining(findPreset("Qwen/Qwen2.5-0.5B")!.config, "q4_0", limits, DEFAULT_BUDGET_BYTES);
    expect(small.problem).toBeUndefined();
    const big = estimateTraining(findPreset("Qwen/Qwen2.5-7B")!.config, "none", limits, DEFAULT_BUDGET_BYTES);
    expect(big.problem).toMatch(/needs .*adapter binds at most 2 GiB|budget is 4 GiB/);
  });

  it("warns when one buffer exceeds the adapter's binding limit even under the budget", () => {
    const tiny = { maxBufferSize: 64 * 2 ** 20, maxStorageBufferBindingSize: 64 * 2 ** 20 };
    const est = estimateTraining(findPreset("Qwen/Qwen2.5-0.5B")!.config, "none", tiny, 2 ** 50);
    expect(est.problem).toMatch(/the buffer "embed" needs .* binds at most 64 MiB/);
  });
});
