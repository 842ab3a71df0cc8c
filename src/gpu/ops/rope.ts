// Launchers for shaders/rope_forward.wgsl and rope_backward.wgsl (rotate-half RoPE, in place, on
// q or k of a padded batch: row r = b*Tmax + i is at position i). Angles are reduced modulo one
// turn exactly and cos/sin come from polynomials (see shaders/lib/rope_angle.wgsl): measured on
// SwiftShader, cos/sin are within 7.6e-7 of float64 at every position below 32768 (theta 1e4 and
// 1e6); plain f32 pos * inv_freq with built-in sin/cos is off by ~2e-3 there.
import angleLib from "../../../shaders/lib/rope_angle.wgsl?raw";
import backwardCode from "../../../shaders/rope_backward.wgsl?raw";
import forwardCode from "../../../shaders/rope_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, type ParamField, params } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;
const MAX_HALF = 128;
const MAX_POSITIONS = 65536;

export type RopeDims = { B: number; Tmax: number; heads: number; headDim: number; theta: number };

/**
 * Turns per position f = inv_freq / 2π of each pair d < D/2, split as hi + lo in f32 with hi
 * holding 16 significant bits (so 8-bit integers times hi are exact in f32).
 */
export function ropeTurnsPerPosition(headDim: number, theta: number): Float32Array {
  const half = headDim / 2;
  const out = new Float32Array(2 * half);
  for (let d = 0; d < half; d++) {
    const f = Math.pow(theta, (-2 * d) / headDim) / (2 * Math.PI); // float64
    let e = Math.floor(Math.log2(f));
    while (2 ** e > f) e -= 1;
    while (2 ** (e + 1) <= f) e += 1;
    const quantum = 2 ** (e - 15);
    const hi = Math.round(f / quantum) * quantum;
    out[2 * d] = hi;
    out[2 * d + 1] = f - hi;
  }
  return out;
}

function prepareRope(device: GPUDevice, label: string, code: string, x: GPUBuffer, dims: RopeDims): Dispatch {
  const { B, Tmax, heads, headDim } = dims;
  const half = headDim / 2;
  if (!Number.isInteger(half) || half < 1 || half > MAX_HALF) throw new Error(`${label}: head dim must be even and at most ${2 * MAX_HALF}, got ${headDim}`);
  if (Tmax > MAX_POSITIONS) throw new Error(`${label}: positions up to ${MAX_POSITIONS - 1} are supported, Tmax is ${Tmax}`);
  if (!(dims.theta > 1)) throw new Error(`${label}: theta must be > 1, got ${dims.theta}`);
  const nPairs = B * Tmax * heads * half;
  const freqs = new Float32Array(4 * 64);
  freqs.set(ropeTurnsPerPosition(headDim, dims.theta));
  const fields: ParamField[] = [["u32", nPairs], ["u32", Tmax], ["u32", heads], ["u32", half]];
  for (const f of freqs) fields.push(["f32", f]);
  const kernel = getKernel(device, label, angleLib + code, { wg_size: WG_SIZE });
  const grid = grid1d(nPairs, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [x, params(device, fields, `${label} params`)], grid);
}

/** In place on x: (B*Tmax, heads*headDim) f32 (q or k); row b*Tmax + i rotated at position i. */
export function prepareRopeForward(device: GPUDevice, io: { x: GPUBuffer }, dims: RopeDims): Dispatch {
  return prepareRope(device, "rope_forward", forwardCode, io.x, dims);
}

/** In place on dx: (B*Tmax, heads*headDim) f32 holding dy; applies the transpose rotation (by -angle). */
export function prepareRopeBackward(device: GPUDevice, io: { dx: GPUBuffer }, dims: RopeDims): Dispatch {
  return prepareRope(device, "rope_backward", backwardCode, io.dx, dims);
}
