// Smoke test of one DAPO step on the GPU: a tiny random LoRA model rolls out G answers per task with the search
// tool, is scored, and takes one AdamW step per mini-batch (none when every advantage is 0 and LLDS is off); the metrics are finite and in range. Learning itself is
// measured by the learning benchmark, not here. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { GpuGenerator } from "../generate/generator";
import { testDevice } from "../gpu/testing";
import { initLora } from "../model/lora";
import { type LoraSettings } from "../protocol/lora";
import { AdamWOptimizer } from "../model/optimizer";
import { ModelRuntime } from "../model/runtime";
import { tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import type { Task } from "../protocol/tasks";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { CHATML_TEMPLATE, tinyByteLevelTokenizerJson } from "../tokenizer/testing";
import { LocalIndex, LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";
import { freshSeed } from "../util/random";
import { getFormat } from "../rollout/formats";
import { resolveDapoConfig } from "./config";
import { dapoStep } from "./train_step";


describe("dapoStep", () => {
  it("runs rollout → reward → advantages → loss → AdamW for each mini-batch", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig({ vocab: 258, maxPositions: 512 });
    const lora: LoraSettings = { r: 4, alpha: 8, targets: ["q", "v", "down"] };
    const runtime = ModelRuntime.create(device, randomWeights(config, seed, "q4_0", 0.2), { mode: { kind: "lora", lora }, lora: initLora(config, lora, seed + 1) });
    const tokenizer = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" });
    const generator = GpuGenerator.fromRuntime(runtime, { maxSequences: 4, maxLength: 256 });
    const index = LocalIndex.fromDocs([{ id: "1", title: "Zorblat", text: "Zorblat is a river of length 12." }]);
    const tools = new SearchToolRunner(new SearchTool(new LocalSearchBackend(index)));
    const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
    const tasks: Task[] = [
      { id: "a", question: "What is 2+3?", answers: ["5"], kind: "math", data_source: "test" },
      { id: "b", question: "How long is Zorblat?", answers: ["12"], kind: "math", data_source: "test" },
    ];
    const dapo = resolveDapoConfig({ groupSize: 2, promptsPerBatch: 2, miniBatches: 2, maxResponseTokens: 24, overlongBuffer: 8, maxRegenerationRounds: 1, warmupSteps: 1 });
    // TAPO's tags with a one-line system prompt: the full prompt is ~1700 tokens in this byte-level vocabulary.
    const format = { ...getFormat("tapo"), system: ["Answer in <answer></answer>; <search>q</search> searches."] };
    const progress: string[] = [];
    const onProgress = (phase: string, done: number, total: number) => progress.push(`${phase} ${done}/${total}`);
    const { metrics, groups } = await dapoStep({ runtime, generator, tokenizer, tools, optimizer, format, onProgress }, tasks, dapo, 0, seed);
    // Progress leaves "generate" as soon as the rollouts are done, and the update phase ends complete, skipped or not.
    const lastGenerate = progress.findLastIndex((p) => p.startsWith("generate"));
    expect(progress[lastGenerate], progress.join(", ")).toBe("generate 4/4");
    expect(progress[lastGenerate + 1]).toBe("update 0/2");
    expect(progress.at(-1)).toBe("update 2/2");
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.rollouts).toHaveLength(2);
    // One AdamW step per mini-batch, unless no group told right from wrong (all advantages 0): then nothing to learn.
    const informative = groups.some((g) => new Set(g.rewards.map((r) => r.total)).size > 1);
    expect(optimizer.steps, `seed ${seed}`).toBe(informative ? 2 : 0);
    for (const [k, v] of Object.entries(metrics)) expect(Number.isFinite(v), k).toBe(true);
    expect(metrics.acc).toBeGreaterThanOrEqual(0);
    expect(metrics.acc).toBeLessThanOrEqual(1);
    expect(metrics.reward).toBeGreaterThanOrEqual(-2);
    expect(metrics.reward).toBeLessThanOrEqual(1);
    expect(metrics.tool_calls_search + metrics.tool_calls_code).toBeCloseTo(metrics.tool_calls, 12);
    expect(metrics.response_tokens).toBeGreaterThan(0);
    expect(metrics.response_tokens).toBeLessThanOrEqual(24);
    expect(metrics.entropy).toBeGreaterThan(0);
    expect(metrics.clip_frac).toBeGreaterThanOrEqual(0);
    expect(metrics.kept_groups).toBeGreaterThanOrEqual(0);
    // One round of 2 groups × 2: every sampled token is in the groups the step returns.
    const policyTokens = groups.flatMap((g) => g.rollouts).reduce((n, r) => n + r.policyTokens, 0);
    expect(metrics.tokens_generated).toBe(policyTokens);
    expect(metrics.tokens_trained).toBe(policyTokens);
    expect(metrics.response_tokens * 4).toBeCloseTo(policyTokens, 9);
    // With the LLDS term on, every step has a loss to follow, informative groups or not.
    const before = optimizer.steps;
    await dapoStep({ runtime, generator, tokenizer, tools, optimizer, format }, tasks, { ...dapo, llds: true }, 1, seed + 2);
    expect(optimizer.steps - before, `seed ${seed}`).toBe(2);
    optimizer.destroy();
    generator.destroy();
    runtime.destroy();
  });

  it("runs a batch of more rollouts than the generator has cache slots, over regeneration rounds (the CLI's 64 × 8 against 64)", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig({ vocab: 258, maxPositions: 512 });
    const lora: LoraSettings = { r: 2, alpha: 4, targets: ["q"] };
    const runtime = ModelRuntime.create(device, randomWeights(config, seed, "q4_0", 0.2), { mode: { kind: "lora", lora }, lora: initLora(config, lora, seed + 1) });
    const tokenizer = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" });
    const generator = GpuGenerator.fromRuntime(runtime, { maxSequences: 4, maxLength: 160 });
    const tools = new SearchToolRunner(new SearchTool(new LocalSearchBackend(LocalIndex.fromDocs([{ id: "1", title: "Zorblat", text: "Zorblat is a river." }]))));
    const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
    const tasks: Task[] = ["a", "b", "c"].map((id, i) => ({ id, question: `What is ${i}+1?`, answers: [String(i + 1)], kind: "math", data_source: "test" }));
    const dapo = resolveDapoConfig({ groupSize: 4, promptsPerBatch: 3, miniBatches: 1, maxResponseTokens: 8, overlongBuffer: 2, maxRegenerationRounds: 2, warmupSteps: 1 });
    const format = { ...getFormat("tapo"), system: ["Answer in <answer></answer>."] };
    const { groups } = await dapoStep({ runtime, generator, tokenizer, tools, optimizer, format }, tasks, dapo, 0, seed);
    expect(groups, `seed ${seed}`).toHaveLength(3);
    for (const g of groups) expect(g.rollouts).toHaveLength(4);
    expect(generator.liveSequences).toBe(0);
    optimizer.destroy();
    generator.destroy();
    runtime.destroy();
  });
});
