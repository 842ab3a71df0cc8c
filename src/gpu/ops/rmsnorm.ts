// Launchers for RMSNorm (Qwen2): shaders/rmsnorm_forward.wgsl, rmsnorm_backward.wgsl
// (input gradient) and rmsnorm_backward_weight.wgsl (weight gradient), each with
// shaders/lib/workgroup_sum.wgsl prepended (and the weight gradient with lib/column_reduce.wgsl).
import columnReduceLib from "../../../shaders/lib/column_reduce.wgsl?raw";
import sumLib from "../../../shaders/lib/workgroup_sum.wgsl?raw";
import backwardCode from "../../../shaders/rmsnorm_backward.wgsl?raw";
import backwardWeightCode from "../../../shaders/rmsnorm_backward_weight.wgsl?raw";
import forwardCode from "../../../shaders/rmsnorm_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { kernelStyle } from "../kernel_style";
import { grid1d } from "./grid";

/** Threads per row in the row kernels (a power of two): wide on GPUs, 4 on CPU adapters (see kernel_style.ts). */
function rowWorkgroup(device: GPUDevice): number {
  return kernelStyle(device) === "cpu" ? 4 : 256;
}
/** Weight-gradient kernel: threads per workgroup and row lanes per column (powers of two). */
const COL_WG = 256;
const COL_LANES = 16;

/**
 * y = x / sqrt(mean(x²) + eps) · w, row by row, saving rstd = 1 / sqrt(mean(x²) + eps).
 * x: (T, C) f32, w: (C) f32 -> y: (T, C) f32, rstd: (T) f32. One workgroup per row.
 */
export function prepareRmsnormForward(
  device: GPUDevice,
  io: { x: GPUBuffer; w: GPUBuffer; y: GPUBuffer; rstd: GPUBuffer },
  dims: { T: number; C: number; eps: number },
): Dispatch {
  const kernel = getKernel(device, "rmsnorm_forward", sumLib + forwardCode, { wg_size: rowWorkgroup(device) });
  const p = params(device, [["u32", dims.T], ["u32", dims.C], ["f32", dims.eps]], "rmsnorm_forward.params");
  const grid = grid1d(dims.T, 1, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.x, io.w, io.y, io.rstd, p], grid);
}

/**
 * Gradients of RMSNorm given dy: dx (T, C) is written, or added to when
 * `accumulateDx` (the residual stream gradient); dw (C), when given, is always
 * added to (accumulation across micro-batches). Deterministic: no atomics.
 * x: (T, C) f32, w: (C) f32, rstd: (T) f32 from the forward, dy: (T, C) f32
 * -> dx: (T, C) f32, dw: (C) f32. dx must not alias x or dy.
 */
export function prepareRmsnormBackward(
  device: GPUDevice,
  io: { x: GPUBuffer; w: GPUBuffer; rstd: GPUBuffer; dy: GPUBuffer; dx: GPUBuffer; dw?: GPUBuffer },
  dims: { T: number; C: number; accumulateDx: boolean },
): Dispatch[] {
  const { T, C } = dims;
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const dxKernel = getKernel(device, "rmsnorm_backward", sumLib + backwardCode, { wg_size: rowWorkgroup(device) });
  const dxParams = params(device, [["u32", T], ["u32", C], ["u32", dims.accumulateDx ? 1 : 0]], "rmsnorm_backward.params");
  const out = [makeDispatch(device, dxKernel, [io.x, io.w, io.rstd, io.dy, io.dx, dxParams], grid1d(T, 1, maxDim))];
  if (io.dw) {
    const dwKernel = getKernel(device, "rmsnorm_backward_weight", sumLib + columnReduceLib + backwardWeightCode, { wg_size: COL_WG, lanes: COL_LANES });
    const dwParams = params(device, [["u32", T], ["u32", C]], "rmsnorm_backward_weight.params");
    const tiles = Math.ceil(C / (COL_WG / COL_LANES));
    out.push(makeDispatch(device, dwKernel, [io.x, io.rstd, io.dy, io.dw, dwParams], grid1d(tiles, 1, maxDim)));
  }
  return out;
}
