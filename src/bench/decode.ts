// Generation benchmarks: prefill tokens/s (prompts written into the KV cache)
// and decode tokens/s at batch 1 and 32 (one sampled token per sequence per
// step, sampling on the GPU), on a random-weight model of the given shape.
import { GpuGenerator } from "../generate/generator";
import type { Qwen2Config } from "../model/config";
import { ModelRuntime } from "../model/runtime";
import { randomWeights } from "../model/weights";
import type { WeightFormat } from "../protocol/tensors";
import { mulberry32 } from "../util/random";
import type { BenchRecord } from "./record";

export async function* runDecodeBench(
  device: GPUDevice,
  config: Qwen2Config,
  quant: WeightFormat,
  cpu: boolean,
  shape: Record<string, unknown>,
): AsyncGenerator<BenchRecord> {
  const layers = cpu ? 1 : config.layers;
  const cfg = { ...config, layers };
  const rt = ModelRuntime.create(device, randomWeights(cfg, 11, quant), { mode: { kind: "frozen" }, budget: 2 ** 40 });
  const promptLen = cpu ? 16 : 256;
  const steps = cpu ? 2 : 32;
  const note = cpu ? `CPU adapter: ${layers} of ${config.layers} layers` : `${layers} layers`;
  const rand = mulberry32(12);
  const prompt = () => Array.from({ length: promptLen }, () => Math.floor(rand() * config.vocab));
  const gen = GpuGenerator.fromRuntime(rt, { maxSequences: 32, maxLength: promptLen + steps + 8, budget: 2 ** 40 });
  const greedy = { temperature: 0, topP: 1, topK: 0, seed: 1 };
  try {
    // Warm-up compiles every pipeline the measured runs use.
    const warm = await gen.startMany([prompt()]);
    await gen.step(warm, greedy);
    for (const h of warm) gen.release(h);
    for (const batch of [1, 32]) {
      const prompts = Array.from({ length: batch }, prompt);
      const t0 = performance.now();
      const handles = await gen.startMany(prompts);
      await gen.sync();
      const prefill = (performance.now() - t0) / 1000;
      yield { event: "bench", name: `prefill_tokens_per_second_batch${batch}`, value: (batch * promptLen) / prefill, unit: "tokens/s", batch, prompt_tokens: promptLen, quant, layers, seconds: prefill, ...shape, note };
      await gen.step(handles, greedy); // first step runs each prompt's last token
      const t1 = performance.now();
      for (let i = 0; i < steps; i++) await gen.step(handles, greedy);
      const decode = (performance.now() - t1) / 1000;
      yield { event: "bench", name: `decode_tokens_per_second_batch${batch}`, value: (batch * steps) / decode, unit: "tokens/s", batch, steps, quant, layers, seconds: decode, ...shape, note };
      for (const h of handles) gen.release(h);
    }
  } finally {
    gen.destroy();
    rt.destroy();
  }
}
