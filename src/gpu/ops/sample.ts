// Launcher for shaders/sample_forward.wgsl (temperature / top-k / top-p sampling on the GPU, one
// workgroup per row) and the packing of its per-row parameters.
import code from "../../../shaders/sample_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { kernelStyle } from "../kernel_style";

const WG_SIZE = 256;
/** Threads per row on CPU adapters, where each of the bisection's barriers switches between lanes (kernel_style.ts). */
const CPU_WG = 4;
/** u32 words per row in the sampler's parameter buffer. */
export const SAMPLE_ROW_WORDS = 8;

/** One row's sampling: temperature (0 = greedy), topP in (0, 1], topK (0 = all), and the counter (seed, sequence id, position). */
export type SampleRow = { temperature: number; topP: number; topK: number; seed: number; sequence: number; position: number };

/** Checks one row's sampling parameters; the message says which is wrong. */
export function checkSampleRow(r: SampleRow): void {
  if (!(r.temperature >= 0) || !Number.isFinite(r.temperature)) throw new Error(`sampling: temperature must be a finite number >= 0 (0 = greedy), got ${r.temperature}`);
  if (!(r.topP > 0 && r.topP <= 1)) throw new Error(`sampling: topP must be in (0, 1] (1 keeps all), got ${r.topP}`);
  if (!Number.isInteger(r.topK) || r.topK < 0) throw new Error(`sampling: topK must be an integer >= 0 (0 keeps all), got ${r.topK}`);
  for (const key of ["seed", "sequence", "position"] as const) {
    const x = r[key];
    if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new Error(`sampling: ${key} must be a 32-bit unsigned integer, got ${x}`);
  }
}

/** Packs rows into the (R, 8) u32 layout of sample_forward.wgsl (floats as their bits). */
export function packSampleRows(rows: SampleRow[], out: Uint32Array = new Uint32Array(rows.length * SAMPLE_ROW_WORDS)): Uint32Array {
  const f = new Float32Array(1);
  const bits = new Uint32Array(f.buffer);
  rows.forEach((r, i) => {
    checkSampleRow(r);
    const o = i * SAMPLE_ROW_WORDS;
    f[0] = r.temperature;
    out[o] = bits[0]!;
    f[0] = r.topP;
    out[o + 1] = bits[0]!;
    out[o + 2] = r.topK;
    out[o + 3] = r.seed >>> 0;
    out[o + 4] = r.sequence >>> 0;
    out[o + 5] = r.position >>> 0;
    out[o + 6] = 0;
    out[o + 7] = 0;
  });
  return out;
}

/**
 * logits: (R, V) f32, samp: (R, 8) u32 (packSampleRows) -> out: (R, 2) u32 [token, logprob bits],
 * logprob = log softmax(z / T)[token] over the full vocabulary (T = 1 when greedy).
 */
export function prepareSample(
  device: GPUDevice,
  io: { logits: GPUBuffer; samp: GPUBuffer; out: GPUBuffer },
  dims: { R: number; V: number; bisectSteps?: number },
): Dispatch {
  const { R, V } = dims;
  if (!Number.isInteger(R) || R < 1 || R > device.limits.maxComputeWorkgroupsPerDimension) throw new Error(`sample: R must be in 1..${device.limits.maxComputeWorkgroupsPerDimension}, got ${R}`);
  if (!Number.isInteger(V) || V < 1 || V >= 2 ** 24) throw new Error(`sample: V must be in 1..2^24-1, got ${V}`);
  const kernel = getKernel(device, "sample_forward", code, { wg_size: kernelStyle(device) === "cpu" ? CPU_WG : WG_SIZE, bisect_steps: dims.bisectSteps ?? 64 });
  return makeDispatch(device, kernel, [io.logits, io.samp, io.out, params(device, [["u32", R], ["u32", V]], "sample params")], [R]);
}
