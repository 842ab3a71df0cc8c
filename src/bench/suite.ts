// The benchmark suite behind `tapo bench`: GFLOP/s of the quantized linear, of
// LoRA forward+backward and of attention forward+backward at Qwen2.5 shapes,
// and training tokens/s (forward + backward with layer recomputation) of a
// random-weight model, with that step's time split by kernel (each dispatch
// alone). Runs on any GPUDevice: a browser page or Node + Dawn.
// On a CPU adapter (SwiftShader) shapes shrink and records say so.
import type { BenchRecord } from "./record";
import { describeAdapter } from "../gpu/capabilities";
import { storageBuffer } from "../gpu/kernel";
import { kernelStyle } from "../gpu/kernel_style";
import { prepareAttentionBackward, prepareAttentionForward } from "../gpu/ops/attention";
import { prepareLinearForward } from "../gpu/ops/linear";
import { prepareLoraBackward, prepareLoraForward } from "../gpu/ops/lora";
import { uploadWeight } from "../gpu/weights";
import type { Qwen2Config } from "../model/config";
import { initLora } from "../model/lora";
import { DEFAULT_LORA, type LoraSettings } from "../protocol/lora";
import { ModelRuntime } from "../model/runtime";
import { randomWeights } from "../model/weights";
import { quantize } from "../quant/weights";
import { type WeightFormat } from "../protocol/tensors";
import { mulberry32, uniformArray } from "../util/random";
import { runDecodeBench } from "./decode";
import { profileDispatches } from "./profile";
import { timeDispatches } from "./timing";

export type BenchOptions = { quant: WeightFormat; model: Qwen2Config; modelName: string };


function random(n: number, seed: number): Float32Array {
  return uniformArray(mulberry32(seed), n, -1, 1);
}

/** Runs the suite, yielding one record per figure. */
export async function* runBench(device: GPUDevice, adapter: GPUAdapter, opts: BenchOptions): AsyncGenerator<BenchRecord | Record<string, unknown>> {
  const caps = describeAdapter(adapter);
  // Software adapters (the device's kernel style says so): real shapes would take minutes.
  const cpu = kernelStyle(device) === "cpu";
  const repeats = cpu ? 2 : 10;
  yield { event: "adapter", vendor: caps.vendor, architecture: caps.architecture, description: caps.description, cpu, features: caps.features };
  const c = opts.model;
  const shape = { cpu, model: opts.modelName };

  // Quantized linear: y (M, N) = x (M, K) · Wᵀ, the MLP up-projection's shape.
  {
    const M = cpu ? 32 : 512;
    const [N, K] = [c.intermediate, c.hidden];
    const w = uploadWeight(device, quantize(random(N * K, 1), N, K, opts.quant));
    const x = storageBuffer(device, random(M * K, 2));
    const y = storageBuffer(device, M * N * 4);
    const s = await timeDispatches(device, [prepareLinearForward(device, { x, w, y }, { M })], repeats);
    yield { event: "bench", name: `linear_forward_${opts.quant}`, value: (2 * M * N * K) / s / 1e9, unit: "GFLOP/s", M, N, K, seconds: s, ...shape };
    yield { event: "bench", name: `linear_forward_${opts.quant}_weight_bandwidth`, value: (w.data.size + w.scales.size) / s / 1e9, unit: "GB/s", M, N, K, ...shape };
    for (const b of [w.data, w.scales, x, y]) b.destroy();
  }

  // LoRA forward + backward on the q projection (K = N = hidden), rank 16.
  {
    const M = cpu ? 64 : 2048;
    const [N, K, r] = [c.hidden, c.hidden, 16];
    const buf = (n: number, seed: number) => storageBuffer(device, random(n, seed));
    const io = { x: buf(M * K, 3), A: buf(r * K, 4), B: buf(N * r, 5), u: buf(M * r, 6), y: buf(M * N, 7) };
    const grads = { dy: buf(M * N, 8), du: buf(M * r, 9), dA: buf(r * K, 10), dB: buf(N * r, 11), dx: buf(M * K, 12) };
    const dims = { M, K, N, r, scale: 2 };
    const list = [
      ...prepareLoraForward(device, io, dims),
      ...prepareLoraBackward(device, { ...io, ...grads }, { ...dims, accumulateDx: true }),
    ];
    const s = await timeDispatches(device, list, repeats);
    const flops = 2 * M * r * (K + N) * 3; // forward 2 matmuls, backward 4 (dB, du, dA, dx) of the same sizes ≈ 3×
    yield { event: "bench", name: "lora_forward_backward", value: flops / s / 1e9, unit: "GFLOP/s", M, N, K, r, seconds: s, ...shape };
  }

  // Attention forward + backward, one sequence, the model's heads.
  {
    const T = cpu ? 32 : 1024;
    const B = 1;
    const q = c.heads * c.headDim;
    const kv = c.kvHeads * c.headDim;
    const buf = (n: number, seed: number) => storageBuffer(device, random(n, seed));
    const lens = storageBuffer(device, Uint32Array.of(T));
    const io = { q: buf(T * q, 13), k: buf(T * kv, 14), v: buf(T * kv, 15), lens, o: buf(T * q, 16), lse: buf(T * c.heads, 17) };
    const bw = { dO: buf(T * q, 18), delta: buf(T * c.heads, 19), dq: buf(T * q, 20), dk: buf(T * kv, 21), dv: buf(T * kv, 22) };
    const dims = { B, Tmax: T, NH: c.heads, NKV: c.kvHeads, HD: c.headDim };
    const fwd = [prepareAttentionForward(device, io, dims)];
    const sF = await timeDispatches(device, fwd, repeats);
    // Causal: T(T+1)/2 query-key pairs, 2 matmuls (QKᵀ, PV) of 2·HD flops each per pair and head.
    const pairs = (T * (T + 1)) / 2;
    const fwdFlops = 4 * pairs * c.headDim * c.heads;
    yield { event: "bench", name: "attention_forward", value: fwdFlops / sF / 1e9, unit: "GFLOP/s", T, heads: c.heads, headDim: c.headDim, seconds: sF, ...shape };
    const sB = await timeDispatches(device, [...fwd, ...prepareAttentionBackward(device, { ...io, ...bw }, dims)], repeats);
    yield { event: "bench", name: "attention_forward_backward", value: (fwdFlops * 3.5) / sB / 1e9, unit: "GFLOP/s", T, seconds: sB, ...shape, note: "backward counted as 2.5× forward (5 matmuls incl. recompute)" };
  }

  // Training throughput: forward + backward (with layer recomputation) of LoRA on all linears.
  {
    const layers = cpu ? 1 : c.layers;
    const cfg = { ...c, layers };
    const B = cpu ? 1 : 4;
    const T = cpu ? 16 : 512;
    const weights = randomWeights(cfg, 7, opts.quant);
    const lora: LoraSettings = { ...DEFAULT_LORA, targets: [...DEFAULT_LORA.targets] };
    const rt = ModelRuntime.create(device, weights, { mode: { kind: "lora", lora }, lora: initLora(cfg, lora, 8, 0.01), budget: 2 ** 40 });
    const rand = mulberry32(9);
    const seqs = Array.from({ length: B }, () => Array.from({ length: T }, () => Math.floor(rand() * c.vocab)));
    const wlogp = seqs.map((s) => new Float32Array(s.length - 1).fill(1 / (B * T)));
    await rt.accumulateGradients(seqs, wlogp); // warm-up: compiles pipelines
    const runs = cpu ? 1 : 3;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await rt.accumulateGradients(seqs, wlogp);
    const s = (performance.now() - t0) / 1000 / runs;
    const fwd = await (async () => {
      const t1 = performance.now();
      for (let i = 0; i < runs; i++) await rt.logprobs(seqs);
      return (performance.now() - t1) / 1000 / runs;
    })();
    const kernels = await profileDispatches(device, rt.trainingDispatches());
    rt.destroy();
    const total = kernels.reduce((sum, k) => sum + k.seconds, 0);
    for (const k of kernels) {
      yield { event: "bench", name: "train_step_kernel", kernel: k.label, value: k.seconds * 1000, unit: "ms", share: k.seconds / total, dispatches: k.dispatches, B, T, ...shape };
    }
    const note = cpu ? `CPU adapter: ${layers} of ${c.layers} layers, ${B}×${T} tokens` : `${B}×${T} tokens`;
    yield { event: "bench", name: "train_tokens_per_second", value: (B * T) / s, unit: "tokens/s", layers, of_layers: c.layers, B, T, quant: opts.quant, lora_r: DEFAULT_LORA.r, seconds: s, ...shape, note };
    yield { event: "bench", name: "forward_tokens_per_second", value: (B * T) / fwd, unit: "tokens/s", layers, B, T, quant: opts.quant, seconds: fwd, ...shape, note };
  }

  // Generation: prefill and decode with the KV cache and GPU sampling.
  yield* runDecodeBench(device, c, opts.quant, cpu, shape);
}
