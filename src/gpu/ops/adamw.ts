// Launchers for the optimizer: global gradient-norm (shaders/grad_norm_partial.wgsl,
// shaders/grad_norm_finalize.wgsl, both with shaders/lib/workgroup_sum.wgsl prepended) and the
// AdamW update with clipping (shaders/adamw_update.wgsl).
// The norm stays on the GPU: clipping never reads back to the CPU.
import finalizeCode from "../../../shaders/grad_norm_finalize.wgsl?raw";
import partialCode from "../../../shaders/grad_norm_partial.wgsl?raw";
import adamCode from "../../../shaders/adamw_update.wgsl?raw";
import sumLib from "../../../shaders/lib/workgroup_sum.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, uniformU32 } from "../kernel";
import { grid1d } from "./grid";

const NORM_WG = 256;
const ADAM_WG = 256;

/** Hyper-parameters of one AdamW step; `step` is t = 1, 2, … (bias correction). */
export type AdamHyper = {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number;
  /** Clip the global gradient norm to this; <= 0 or Infinity disables clipping. */
  maxNorm: number;
};

/** Bytes of the hyper uniform: 8 f32 { lr, beta1, beta2, eps, weightDecay, maxNorm, bias1, bias2 }. */
export const ADAM_HYPER_BYTES = 32;

/** A uniform buffer for AdamW hyper-parameters (rewrite it each step with writeAdamHyper). */
export function createAdamHyper(device: GPUDevice, values?: AdamHyper, label = "adam.hyper"): GPUBuffer {
  const hyper = device.createBuffer({ label, size: ADAM_HYPER_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  if (values) writeAdamHyper(device, hyper, values);
  return hyper;
}

/** The 8 f32 words the shader reads: bias corrections 1 - beta^t are computed here in float64. */
export function adamHyperWords(values: AdamHyper): Float32Array {
  const { lr, beta1, beta2, eps, weightDecay, step, maxNorm } = values;
  if (!(step >= 1) || !Number.isInteger(step)) throw new RangeError(`adamw: step must be an integer >= 1 (bias correction), got ${step}`);
  const clip = Number.isFinite(maxNorm) && maxNorm > 0 ? maxNorm : 0;
  return Float32Array.of(lr, beta1, beta2, eps, weightDecay, clip, 1 - beta1 ** step, 1 - beta2 ** step);
}

/** Queues a write of this step's hyper-parameters into `hyper` (ordered before later submits). */
export function writeAdamHyper(device: GPUDevice, hyper: GPUBuffer, values: AdamHyper): void {
  device.queue.writeBuffer(hyper, 0, adamHyperWords(values));
}

/**
 * norm[0] = sqrt(sum over all grads of sum_i g[i]^2). grads: each (n) f32;
 * partial: (>= grads.length) f32 scratch, slot i holds buffer i's sum of squares;
 * norm: (1) f32. One dispatch per gradient buffer, then one final reduction.
 */
export function prepareGradNorm(
  device: GPUDevice,
  grads: { buffer: GPUBuffer; n: number }[],
  out: { partial: GPUBuffer; norm: GPUBuffer },
): Dispatch[] {
  if (grads.length === 0) throw new Error("gradNorm: no gradient buffers listed");
  if (out.partial.size < grads.length * 4) {
    throw new Error(`gradNorm: partial holds ${out.partial.size / 4} f32 but ${grads.length} buffers are listed`);
  }
  const partialKernel = getKernel(device, "grad_norm_partial", sumLib + partialCode, { wg_size: NORM_WG });
  const dispatches = grads.map(({ buffer, n }, slot) =>
    makeDispatch(device, partialKernel, [buffer, out.partial, uniformU32(device, [n, slot])], [1]),
  );
  const finalKernel = getKernel(device, "grad_norm_finalize", sumLib + finalizeCode, { wg_size: NORM_WG });
  dispatches.push(makeDispatch(device, finalKernel, [out.partial, out.norm, uniformU32(device, [grads.length])], [1]));
  return dispatches;
}

/**
 * One AdamW step on n parameters, in place. param, grad, m, v: (n) f32;
 * norm: (1) f32 global gradient norm (prepareGradNorm); hyper: buffer from createAdamHyper.
 */
export function prepareAdamW(
  device: GPUDevice,
  io: { param: GPUBuffer; grad: GPUBuffer; m: GPUBuffer; v: GPUBuffer; norm: GPUBuffer; hyper: GPUBuffer },
  dims: { n: number },
): Dispatch {
  const kernel = getKernel(device, "adamw_update", adamCode, { wg_size: ADAM_WG });
  const grid = grid1d(dims.n, ADAM_WG, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.param, io.grad, io.m, io.v, io.norm, io.hyper, uniformU32(device, [dims.n])], grid);
}
