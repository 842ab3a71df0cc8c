// Checks the run's planned GPU memory (Node, no GPU): weights and adapter counted once, generation and update
// buffers added, on the real plans of a small Qwen2 shape.
import { describe, expect, it } from "vitest";
import { planGeneratorMemory } from "../generate/memory";
import { activationSpecs, loraSpecs, summarize, weightSpecs } from "../model/memory";
import { tinyConfig } from "../model/testing";
import { DEFAULT_LORA } from "../protocol/lora";
import { plannedMemory } from "./planned_memory";

describe("plannedMemory", () => {
  it("adds the generator's and the update pass's own buffers to one copy of weights and adapter", () => {
    const c = tinyConfig({ vocab: 300, maxPositions: 256 });
    const mode = { kind: "lora" as const, lora: DEFAULT_LORA };
    const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30, budget: 2 ** 32 };
    const gen = planGeneratorMemory(c, "q8_0", mode, { maxSequences: 8, maxLength: 128, maxRows: 64 }, limits);
    const base = [...weightSpecs(c, "q8_0", mode), ...loraSpecs(c, DEFAULT_LORA)];
    const acts = activationSpecs(c, { B: 8, Tmax: 128 }, mode, limits.maxStorageBufferBindingSize);
    const update = summarize([...base, ...acts]);
    const plan = plannedMemory(gen, update)!;
    const own = summarize(base);
    expect(plan.weights).toBe(own.byGroup.weights);
    expect(plan.trainable).toBe(own.byGroup.trainable);
    expect(plan.update).toBe(acts.reduce((n, s) => n + s.bytes, 0));
    expect(plan.generation).toBe(gen.total - own.total);
    expect(plan.total).toBe(gen.total + plan.update);
    expect(plannedMemory(gen, undefined)).toBeUndefined();
  });
});
