// Checks SFT on the GPU runtime with a tiny random model: the weights handed to accumulateGradients are exactly −1/N on policy positions and 0 on prompt and forced ones (N shared across micro-batches), and the policy-token cross-entropy of a fixed demonstration falls over a few steps, training every parameter and training a LoRA adapter; forced tokens stay out of the loss. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { gpuChecked, testDevice } from "../gpu/testing";
import { initLora } from "../model/lora";
import { type LoraSettings } from "../protocol/lora";
import { AdamWOptimizer } from "../model/optimizer";
import { ModelRuntime, type PerToken } from "../model/runtime";
import { tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import type { TokenOrigin } from "../rollout/rollout_state";
import { freshSeed, mulberry32 } from "../util/random";
import { sftLoss, sftStep } from "./sft_step";
import type { SftExample } from "./sft_weights";

const ADAM = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxNorm: 1 };

/** A demonstration-shaped example: prompt, policy text, a forced tool response, more policy text. */
function demonstration(seed: number, vocab: number, parts: [TokenOrigin, number][]): SftExample {
  const rand = mulberry32(seed);
  const tokens: number[] = [];
  const origins: TokenOrigin[] = [];
  for (const [origin, n] of parts) {
    for (let i = 0; i < n; i++) {
      tokens.push(Math.floor(rand() * vocab));
      origins.push(origin);
    }
  }
  return { tokens, origins };
}

describe("sftStep", () => {
  it("hands the runtime −1/N on policy positions and 0 elsewhere, N over the whole batch", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig();
    const runtime = ModelRuntime.create(device, randomWeights(config, seed), { mode: { kind: "full" } });
    const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
    const batch = [
      demonstration(seed + 1, config.vocab, [["prompt", 4], ["policy", 3], ["forced", 5], ["policy", 2]]),
      demonstration(seed + 2, config.vocab, [["prompt", 6], ["policy", 5]]),
      demonstration(seed + 3, config.vocab, [["prompt", 2], ["policy", 1], ["forced", 3], ["policy", 4]]),
    ];
    const N = 3 + 2 + 5 + 1 + 4;
    const seen: PerToken[] = [];
    const original = runtime.accumulateGradients.bind(runtime);
    runtime.accumulateGradients = (seqs, wlogp, went) => {
      seen.push(wlogp.map((w) => Float32Array.from(w)));
      return original(seqs, wlogp, went);
    };
    const result = await gpuChecked(device, () => sftStep(runtime, optimizer, batch, ADAM, { microBatch: 2 }));
    expect(result.policyTokens).toBe(N);
    expect(seen).toHaveLength(2);
    const flat = seen.flat();
    expect(flat).toHaveLength(3);
    const w = Math.fround(-1 / N);
    batch.forEach((ex, b) => {
      const got = flat[b]!;
      expect(got).toHaveLength(ex.tokens.length - 1);
      for (let t = 0; t < got.length; t++) {
        const want = ex.origins[t + 1] === "policy" ? w : 0;
        expect(got[t], `seed ${seed}, sequence ${b}, position ${t} (${ex.origins[t + 1]})`).toBe(want);
      }
    });
    expect(Number.isFinite(result.loss)).toBe(true);
    optimizer.destroy();
    runtime.destroy();
  });

  const modes: ["full" | "lora", string][] = [["full", "every parameter"], ["lora", "a LoRA adapter"]];
  for (const [mode, what] of modes) {
    it(`lowers the policy-token cross-entropy of a fixed demonstration, training ${what}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const config = tinyConfig({ tieEmbeddings: false });
      const lora: LoraSettings = { r: 8, alpha: 16, targets: ["q", "k", "v", "o", "gate", "up", "down"] };
      const runtime = ModelRuntime.create(
        device,
        randomWeights(config, seed, "f32", 0.5),
        mode === "full" ? { mode: { kind: "full" } } : { mode: { kind: "lora", lora }, lora: initLora(config, lora, seed + 1) },
      );
      const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
      const demo = [
        demonstration(seed + 2, config.vocab, [["prompt", 5], ["policy", 6], ["forced", 4], ["policy", 5]]),
        demonstration(seed + 3, config.vocab, [["prompt", 3], ["policy", 8]]),
      ];
      const before = await gpuChecked(device, () => sftLoss(runtime, demo));
      const losses: number[] = [];
      // LoRA starts from B = 0 (a no-op adapter) and moves fewer parameters: a larger rate.
      const adam = { ...ADAM, lr: mode === "full" ? 1e-2 : 2e-2 };
      for (let step = 0; step < 10; step++) losses.push((await gpuChecked(device, () => sftStep(runtime, optimizer, demo, adam))).loss);
      const after = await sftLoss(runtime, demo);
      // The step reports the loss before its own update: the first equals the untouched model's.
      expect(losses[0], `seed ${seed}`).toBeCloseTo(before.loss, 4);
      expect(after.loss, `seed ${seed}: ${before.loss} → ${losses.join(", ")} → ${after.loss}`).toBeLessThan(0.8 * before.loss);
      expect(after.policyTokens).toBe(6 + 5 + 8);
      optimizer.destroy();
      runtime.destroy();
    });
  }
});
