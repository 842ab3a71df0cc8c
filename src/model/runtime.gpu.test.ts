// Checks the whole-model GPU runtime: log-probs and entropies of padded batches against the float64 reference
// (f32, Q8_0, Q4_0; tied and untied heads), LoRA and full-parameter gradients against finite differences of the
// reference, and the memory refusal. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { gpuChecked, testDevice } from "../gpu/testing";
import type { WeightFormat } from "../protocol/tensors";
import { assertClose } from "../ref/compare";
import { centralDifference } from "../ref/finite_difference";
import { refLoss, refModel, refSequence } from "../ref/model";
import { freshSeed } from "../util/random";
import { initLora, peftName } from "./lora";
import { type LoraSettings } from "../protocol/lora";
import { ModelTooLargeError } from "./memory";
import { ModelRuntime } from "./runtime";
import { randomSequences, randomTokenWeights, tinyConfig } from "./testing";
import { hfLinearName, randomWeights } from "./weights";

const LENGTHS = [7, 12, 1 + 1, 10];

/**
 * Relative error under 1e-3: each entry within 1e-3·|fd| plus 1e-3 of the largest
 * finite difference checked in that tensor (so entries near zero are judged on the tensor's scale).
 */
function gradTolerance(want: number[]) {
  const scale = Math.max(1e-6, ...want.map(Math.abs));
  return { atol: 1e-3 * scale, rtol: 1e-3 };
}

describe("ModelRuntime forward", () => {
  for (const [format, tie] of [["f32", true], ["q8_0", false], ["q4_0", true]] as [WeightFormat, boolean][]) {
    it(`matches the float64 reference on a padded batch (${format}, ${tie ? "tied" : "untied"} head)`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const config = tinyConfig({ tieEmbeddings: tie });
      const weights = randomWeights(config, seed, format);
      const seqs = randomSequences(seed + 1, LENGTHS, config.vocab);
      const ref = refModel(weights);
      const rt = ModelRuntime.create(device, weights, { mode: { kind: "frozen" } });
      const got = await gpuChecked(device, () => rt.logprobs(seqs));
      seqs.forEach((s, b) => {
        const want = refSequence(ref, s);
        const ctx = `${format} seq ${b} seed=${seed}`;
        assertClose(got.logp[b]!, want.logp, { atol: 2e-4, rtol: 1e-4 }, `logp ${ctx}`);
        assertClose(got.entropy[b]!, want.entropy, { atol: 2e-4, rtol: 1e-4 }, `entropy ${ctx}`);
      });
      rt.destroy();
    });
  }
});

describe("ModelRuntime backward", () => {
  it("gives LoRA gradients that match finite differences of the reference", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig({ tieEmbeddings: false });
    const weights = randomWeights(config, seed, "q8_0");
    const loraConfig: LoraSettings = { r: 4, alpha: 8, targets: ["q", "k", "v", "o", "gate", "up", "down"] };
    const lora = initLora(config, loraConfig, seed + 2, 0.3);
    const seqs = randomSequences(seed + 1, [6, 9, 4], config.vocab);
    const wlogp = randomTokenWeights(seed + 3, seqs);
    const went = randomTokenWeights(seed + 4, seqs);
    const rt = ModelRuntime.create(device, weights, { mode: { kind: "lora", lora: loraConfig }, lora });
    await gpuChecked(device, async () => {
      rt.zeroGrads();
      await rt.accumulateGradients(seqs, wlogp, went);
    });
    const grads = await rt.readGradients();
    const ref = refModel(weights);
    const loss = () => refLoss(ref, seqs, wlogp, went, lora);
    for (const l of [0, 1]) {
      for (const t of loraConfig.targets) {
        for (const which of ["A", "B"] as const) {
          const name = peftName(l, t, which);
          const slot = lora.layers[l]![t]![which];
          const got = grads.get(name)!;
          const picks = [0, Math.floor(slot.length / 2), slot.length - 1];
          const want = picks.map((i) => centralDifference(slot, i, 1e-3, loss));
          assertClose(picks.map((i) => got[i]!), want, gradTolerance(want), `d${name} seed=${seed}`);
        }
      }
    }
    // Gradients accumulate: a second pass doubles them.
    await rt.accumulateGradients(seqs, wlogp, went);
    const twice = await rt.readGradients();
    const name = peftName(1, "v", "A");
    assertClose(twice.get(name)!, grads.get(name)!.map((g) => 2 * g), { atol: 1e-6, rtol: 1e-4 }, "accumulation");
    rt.destroy();
  });

  it("gives full-parameter gradients that match finite differences of the reference", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig({ layers: 1, tieEmbeddings: true });
    const weights = randomWeights(config, seed, "f32");
    const seqs = randomSequences(seed + 1, [5, 8], config.vocab);
    const wlogp = randomTokenWeights(seed + 3, seqs);
    const rt = ModelRuntime.create(device, weights, { mode: { kind: "full" } });
    await gpuChecked(device, async () => {
      rt.zeroGrads();
      await rt.accumulateGradients(seqs, wlogp);
    });
    const grads = await rt.readGradients();
    const ref = refModel(weights);
    const loss = () => refLoss(ref, seqs, wlogp, undefined);
    const layer = weights.layers[0]!;
    const checks: [string, Float32Array | Float64Array][] = [
      ["model.embed_tokens.weight", ref.embed],
      ["model.norm.weight", weights.finalNorm],
      ["model.layers.0.input_layernorm.weight", layer.attnNorm],
      ["model.layers.0.post_attention_layernorm.weight", layer.mlpNorm],
      [hfLinearName(0, "q", "bias"), layer.bias.q],
      [hfLinearName(0, "k", "bias"), layer.bias.k],
      ...(["q", "k", "v", "o", "gate", "up", "down"] as const).map((n): [string, Float64Array] => [hfLinearName(0, n), ref.linear[0]![n]]),
    ];
    for (const [name, slot] of checks) {
      const got = grads.get(name);
      expect(got, name).toBeDefined();
      // Embedding rows of tokens in the batch have gradient; check those and a middle entry.
      const picks = name === "model.embed_tokens.weight" ? [seqs[0]![0]! * config.hidden + 3, seqs[1]![2]! * config.hidden + 17] : [0, Math.floor(slot.length / 2), slot.length - 1];
      const want = picks.map((i) => centralDifference(slot, i, 1e-3, loss));
      assertClose(picks.map((i) => got![i]!), want, gradTolerance(want), `d${name} seed=${seed}`);
    }
    rt.destroy();
  });
});

describe("ModelRuntime memory planning", () => {
  it("refuses a batch that does not fit the budget, naming the figures", async () => {
    const device = await testDevice();
    const config = tinyConfig();
    const rt = ModelRuntime.create(device, randomWeights(config, 1), { mode: { kind: "frozen" }, budget: 2 * 2 ** 20 });
    expect(() => rt.planMemory({ B: 64, Tmax: 1024 })).toThrow(ModelTooLargeError);
    expect(() => rt.planMemory({ B: 64, Tmax: 1024 })).toThrow(/need .* of GPU memory .*activations .* budget is 2 MiB/);
    await expect(rt.logprobs([new Array(2000).fill(1)])).rejects.toThrow(/budget/);
    rt.destroy();
  });

  it("runs a batch larger than the budget in passes, with the log-probs and gradients of one pass", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig();
    const lora: LoraSettings = { r: 2, alpha: 4, targets: ["q", "down"] };
    const weights = randomWeights(config, seed);
    const seqs = randomSequences(seed + 1, [9, 17, 5, 12, 16, 3, 8, 14, 11, 6, 16, 10], config.vocab);
    const w = randomTokenWeights(seed + 2, seqs);
    const whole = ModelRuntime.create(device, weights, { mode: { kind: "lora", lora }, lora: initLora(config, lora, seed + 3) });
    // The smallest budget that holds two of these sequences at a time but not all twelve.
    const Tmax = 24; // the longest, 17, padded as the runtime pads (to a multiple of 8)
    let budget = 2 ** 20;
    while (!fits(whole, { B: 2, Tmax }, budget)) budget *= 1.25;
    expect(fits(whole, { B: 12, Tmax }, budget), `seed ${seed}`).toBe(false);
    const split = ModelRuntime.create(device, weights, { mode: { kind: "lora", lora }, lora: initLora(config, lora, seed + 3), budget });
    const a = await whole.logprobs(seqs);
    const b = await split.logprobs(seqs);
    expect(b.logp).toHaveLength(12);
    b.logp.forEach((row, i) => assertClose(row, a.logp[i]!, { atol: 1e-5, rtol: 1e-5 }, `logp ${i} seed=${seed}`));
    for (const rt of [whole, split]) {
      rt.zeroGrads();
      await rt.accumulateGradients(seqs, w);
    }
    const [ga, gb] = [await whole.readGradients(), await split.readGradients()];
    for (const [name, g] of ga) assertClose(gb.get(name)!, g, { atol: 1e-5, rtol: 1e-4 }, `d${name} seed=${seed}`);
    whole.destroy();
    split.destroy();
  });
});

/** Whether a batch shape fits `budget` on this runtime's model. */
function fits(rt: ModelRuntime, batch: { B: number; Tmax: number }, budget: number): boolean {
  try {
    ModelRuntime.fromGpuModel(rt.device, rt.model, budget).planMemory(batch);
    return true;
  } catch (error) {
    if (error instanceof ModelTooLargeError) return false;
    throw error;
  }
}
