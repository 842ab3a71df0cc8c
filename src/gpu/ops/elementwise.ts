// Launchers for small helpers the model runtime needs: shaders/axpy.wgsl (y += alpha·x),
// shaders/column_sum.wgsl (bias gradient, with shaders/lib/workgroup_sum.wgsl and
// column_reduce.wgsl prepended) and shaders/fill.wgsl (zeroing buffers).
import axpyCode from "../../../shaders/axpy.wgsl?raw";
import columnSumCode from "../../../shaders/column_sum.wgsl?raw";
import fillCode from "../../../shaders/fill.wgsl?raw";
import columnReduceLib from "../../../shaders/lib/column_reduce.wgsl?raw";
import sumLib from "../../../shaders/lib/workgroup_sum.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;
/** Column-sum kernel: row lanes per column (a power of two dividing WG_SIZE). */
const COL_LANES = 16;

/** y += alpha · x; x, y: (n) f32 (distinct buffers). */
export function prepareAxpy(device: GPUDevice, io: { x: GPUBuffer; y: GPUBuffer }, dims: { n: number; alpha: number }): Dispatch {
  const kernel = getKernel(device, "axpy", axpyCode, { wg_size: WG_SIZE });
  const p = params(device, [["u32", dims.n], ["f32", dims.alpha]], "axpy.params");
  return makeDispatch(device, kernel, [io.x, io.y, p], grid1d(dims.n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension));
}

/**
 * db[n] (+)= Σ_m dy[m, n], the bias gradient: overwritten, or added to when `accumulate`.
 * Deterministic (no atomics). dy: (M, N) f32 -> db: (N) f32.
 */
export function prepareColumnSum(
  device: GPUDevice,
  io: { dy: GPUBuffer; db: GPUBuffer },
  dims: { M: number; N: number; accumulate: boolean },
): Dispatch {
  const kernel = getKernel(device, "column_sum", sumLib + columnReduceLib + columnSumCode, { wg_size: WG_SIZE, lanes: COL_LANES });
  const p = params(device, [["u32", dims.M], ["u32", dims.N], ["u32", dims.accumulate ? 1 : 0]], "column_sum.params");
  const tiles = Math.ceil(dims.N / (WG_SIZE / COL_LANES));
  return makeDispatch(device, kernel, [io.dy, io.db, p], grid1d(tiles, 1, device.limits.maxComputeWorkgroupsPerDimension));
}

/** y[i] = value for i < n; y: (n) f32. */
export function prepareFill(device: GPUDevice, io: { y: GPUBuffer }, dims: { n: number; value: number }): Dispatch {
  const kernel = getKernel(device, "fill", fillCode, { wg_size: WG_SIZE });
  const p = params(device, [["u32", dims.n], ["f32", dims.value]], "fill.params");
  return makeDispatch(device, kernel, [io.y, p], grid1d(dims.n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension));
}
