// Launcher for shaders/rope_positions_forward.wgsl: rotate-half RoPE in place on q or k rows that
// each carry their own position (generation: rows of several sequences at arbitrary positions).
// Shares the exactly range-reduced angle of shaders/lib/rope_angle.wgsl with the training RoPE.
import angleLib from "../../../shaders/lib/rope_angle.wgsl?raw";
import code from "../../../shaders/rope_positions_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, type ParamField, params } from "../kernel";
import { grid1d } from "./grid";
import { ropeTurnsPerPosition } from "./rope";

const WG_SIZE = 256;
const MAX_HALF = 128;

export type RopePositionsDims = { M: number; heads: number; headDim: number; theta: number };

/**
 * In place on x: (M, heads*headDim) f32; row r rotated at position rowpos[2r + 1].
 * rowpos: (M, 2) u32 (slot, position), positions < 65536.
 */
export function prepareRopePositionsForward(
  device: GPUDevice,
  io: { x: GPUBuffer; rowpos: GPUBuffer },
  dims: RopePositionsDims,
): Dispatch {
  const label = "rope_positions_forward";
  const { M, heads, headDim } = dims;
  const half = headDim / 2;
  if (!Number.isInteger(half) || half < 1 || half > MAX_HALF) throw new Error(`${label}: head dim must be even and at most ${2 * MAX_HALF}, got ${headDim}`);
  if (!(dims.theta > 1)) throw new Error(`${label}: theta must be > 1, got ${dims.theta}`);
  if (!Number.isInteger(M) || M < 1) throw new Error(`${label}: M must be a positive integer, got ${M}`);
  const nPairs = M * heads * half;
  const freqs = new Float32Array(4 * 64);
  freqs.set(ropeTurnsPerPosition(headDim, dims.theta));
  const fields: ParamField[] = [["u32", nPairs], ["u32", 0], ["u32", heads], ["u32", half]];
  for (const f of freqs) fields.push(["f32", f]);
  const kernel = getKernel(device, label, angleLib + code, { wg_size: WG_SIZE });
  const grid = grid1d(nPairs, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.x, io.rowpos, params(device, fields, `${label} params`)], grid);
}
