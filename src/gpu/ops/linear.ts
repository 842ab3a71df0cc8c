// Launchers for linear layers y = x · Wᵀ (+ b) on a frozen weight W (N, K) in f32, Q8_0 or
// Q4_0 (shaders/linear_forward.wgsl, shaders/linear_backward_input.wgsl, dequantizing on the
// fly), and the weight gradient of a trainable f32 weight (shaders/matmul.wgsl).
// A row range [rowStart, rowStart + rows) of W lets the output head work one vocabulary chunk at a time.
// Both forward kernels get the weight lib and shaders/lib/linear_output.wgsl prepended.
import backwardInputCode from "../../../shaders/linear_backward_input.wgsl?raw";
import backwardInputDirectCode from "../../../shaders/linear_backward_input_direct.wgsl?raw";
import forwardCode from "../../../shaders/linear_forward.wgsl?raw";
import forwardDirectCode from "../../../shaders/linear_forward_direct.wgsl?raw";
import smallMCode from "../../../shaders/linear_forward_small_m.wgsl?raw";
import outputLib from "../../../shaders/lib/linear_output.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { kernelStyle } from "../kernel_style";
import { type GpuWeight, weightLib } from "../weights";
import { grid1d } from "./grid";
import { prepareMatmul } from "./matmul";

const TILE = 64;
/** The barrier-free CPU-adapter kernels (…_direct.wgsl) cover 16 rows of x by 64 output columns a workgroup. */
const DIRECT_M = 16;
const DIRECT_N = 64;
/** Up to this many input rows, linear_forward_small_m (W read once, no wasted math) replaces the tiled kernel. */
export const SMALL_M = 8;
const SMALL_M_LANES = 16; // threads per row of W in linear_forward_small_m.wgsl (256 / 16 rows a workgroup)

function checkWeight(op: string, w: GpuWeight, rowStart: number, rows: number): void {
  const need = w.format === "f32" ? 4 : 32;
  if (w.cols % need !== 0) throw new Error(`${op}: ${w.format} weights need K % ${need} == 0, got K = ${w.cols}`);
  if (!(rows >= 1 && rowStart >= 0 && rowStart + rows <= w.rows)) {
    throw new Error(`${op}: rows [${rowStart}, ${rowStart + rows}) fall outside the weight's ${w.rows} rows`);
  }
}

function grid(device: GPUDevice, op: string, cols: number, M: number, tile: [number, number] = [TILE, TILE]): [number, number] {
  const gx = Math.ceil(cols / tile[1]);
  const gy = Math.ceil(M / tile[0]);
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  if (gx > max || gy > max) throw new Error(`${op}: (${M}, ${cols}) needs more than ${max} workgroups a dimension`);
  return [gx, gy];
}

/**
 * y (M, rows) (+)= x (M, K) · W[rowStart : rowStart + rows, :]ᵀ (+ bias[rowStart : rowStart + rows]).
 * W: (W.rows, K) frozen; bias: (W.rows) f32; y's row stride is `rows` (default W.rows, rowStart 0).
 * With `accumulate`, y += …; otherwise y is overwritten. On a GPU, M <= SMALL_M (decode) takes a
 * W-bandwidth-bound kernel, larger M the 64 x 64 register-tiled one; a CPU adapter takes the
 * barrier-free direct kernel for every M.
 */
export function prepareLinearForward(
  device: GPUDevice,
  io: { x: GPUBuffer; w: GpuWeight; y: GPUBuffer; bias?: GPUBuffer },
  dims: { M: number; rowStart?: number; rows?: number; accumulate?: boolean },
): Dispatch {
  const { w } = io;
  const rowStart = dims.rowStart ?? 0;
  const rows = dims.rows ?? w.rows - rowStart;
  checkWeight("linear_forward", w, rowStart, rows);
  const hasBias = io.bias !== undefined;
  const accumulate = dims.accumulate ?? false;
  const direct = kernelStyle(device) === "cpu";
  const small = !direct && dims.M <= SMALL_M;
  const variant = direct ? "_direct" : small ? "_small_m" : "";
  const kernel = getKernel(
    device,
    `linear_forward${variant}_${w.format}${hasBias ? "_bias" : ""}${accumulate ? "_acc" : ""}`,
    weightLib(w.format) + outputLib + (direct ? forwardDirectCode : small ? smallMCode : forwardCode),
    { has_bias: hasBias ? 1 : 0, accumulate: accumulate ? 1 : 0, ...(small ? { lanes: SMALL_M_LANES } : {}) },
  );
  const p = params(device, [
    ["u32", dims.M],
    ["u32", rows],
    ["u32", w.cols],
    ["u32", rowStart],
  ]);
  // Without a bias, x (also read-only) fills the bias slot.
  const buffers = [io.x, w.data, w.scales, io.bias ?? io.x, io.y, p];
  const groups = small
    ? grid1d(rows, 256 / SMALL_M_LANES, device.limits.maxComputeWorkgroupsPerDimension)
    : grid(device, "linear_forward", rows, dims.M, direct ? [DIRECT_M, DIRECT_N] : [TILE, TILE]);
  return makeDispatch(device, kernel, buffers, groups);
}

/**
 * dx (M, K) (+)= dy (M, rows) · W[rowStart : rowStart + rows, :], W: (W.rows, K) frozen.
 * rows defaults to W.rows, rowStart to 0; with `accumulate`, dx += …, otherwise dx is overwritten.
 */
export function prepareLinearBackwardInput(
  device: GPUDevice,
  io: { dy: GPUBuffer; w: GpuWeight; dx: GPUBuffer },
  dims: { M: number; rowStart?: number; rows?: number; accumulate: boolean },
): Dispatch {
  const { w } = io;
  const rowStart = dims.rowStart ?? 0;
  const rows = dims.rows ?? w.rows - rowStart;
  checkWeight("linear_backward_input", w, rowStart, rows);
  const direct = kernelStyle(device) === "cpu";
  const kernel = getKernel(
    device,
    `linear_backward_input${direct ? "_direct" : ""}_${w.format}${dims.accumulate ? "_acc" : ""}`,
    weightLib(w.format) + (direct ? backwardInputDirectCode : backwardInputCode),
    { accumulate: dims.accumulate ? 1 : 0 },
  );
  const p = params(device, [
    ["u32", dims.M],
    ["u32", rows],
    ["u32", w.cols],
    ["u32", rowStart],
  ]);
  const tile: [number, number] = direct ? [DIRECT_M, DIRECT_N] : [TILE, TILE];
  return makeDispatch(device, kernel, [io.dy, w.data, w.scales, io.dx, p], grid(device, "linear_backward_input", w.cols, dims.M, tile));
}

/**
 * Weight gradient of a trainable f32 weight: dW[rowStart : rowStart + N, :] (N, K) (+)= dyᵀ (N, M) · x (M, K).
 * dy: (M, N), x: (M, K), dW: (≥ rowStart + N, K) f32. With `accumulate`, dW += …, otherwise overwritten.
 */
export function prepareLinearWeightGrad(
  device: GPUDevice,
  io: { dy: GPUBuffer; x: GPUBuffer; dw: GPUBuffer },
  dims: { M: number; N: number; K: number; rowStart?: number; accumulate: boolean },
): Dispatch {
  const { M, N, K } = dims;
  return prepareMatmul(
    device,
    { a: io.dy, b: io.x, c: io.dw },
    { M: N, N: K, K: M, transA: true, transB: false, alpha: 1, beta: dims.accumulate ? 1 : 0, cOffset: (dims.rowStart ?? 0) * K },
  );
}
