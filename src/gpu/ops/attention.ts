// Launchers for causal grouped-query attention over a padded batch (training: whole sequences).
// Forward: shaders/attention_forward.wgsl (online softmax, saves lse). Backward, four dispatches:
// attention_backward_delta (delta = rowsum(dO ⊙ o)), _dq, _dk, _dv, each recomputing the
// probabilities from q, k and lse; no atomics, so results are deterministic. Memory stays
// O(B*Tmax*NH*HD): no (Tmax x Tmax) matrix is ever stored. The tiled kernels share WGSL from
// shaders/lib/attention_*.wgsl, prepended here.
import backwardDeltaCode from "../../../shaders/attention_backward_delta.wgsl?raw";
import backwardDkCode from "../../../shaders/attention_backward_dk.wgsl?raw";
import backwardDqCode from "../../../shaders/attention_backward_dq.wgsl?raw";
import backwardDvCode from "../../../shaders/attention_backward_dv.wgsl?raw";
import forwardCode from "../../../shaders/attention_forward.wgsl?raw";
import backwardDsLib from "../../../shaders/lib/attention_backward_ds.wgsl?raw";
import backwardGradLib from "../../../shaders/lib/attention_backward_grad.wgsl?raw";
import backwardRowsLib from "../../../shaders/lib/attention_backward_rows.wgsl?raw";
import commonLib from "../../../shaders/lib/attention_common.wgsl?raw";
import kvTileLib from "../../../shaders/lib/attention_kv_tile.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 64;

/** Each tiled kernel with the shared snippets it needs (see each shader's header). */
const forwardSource = commonLib + kvTileLib + forwardCode;
const backwardDqSource = commonLib + kvTileLib + backwardRowsLib + backwardDsLib + backwardGradLib + backwardDqCode;
const backwardDkSource = commonLib + kvTileLib + backwardRowsLib + backwardDsLib + backwardGradLib + backwardDkCode;
const backwardDvSource = commonLib + backwardRowsLib + backwardGradLib + backwardDvCode;

export type AttentionDims = { B: number; Tmax: number; NH: number; NKV: number; HD: number };

function checkDims(label: string, dims: AttentionDims): void {
  const { B, NH, NKV, HD } = dims;
  for (const [name, x] of Object.entries({ B, Tmax: dims.Tmax, NH, NKV, HD })) {
    if (!Number.isInteger(x) || x < 1) throw new Error(`${label}: ${name} must be a positive integer, got ${x}`);
  }
  if (NH % NKV !== 0) throw new Error(`${label}: NH=${NH} must be a multiple of NKV=${NKV}`);
  if (HD % 4 !== 0 || HD > 128) throw new Error(`${label}: head dim must be a multiple of 4 up to 128, got ${HD}`);
  if (B > 65535 || NH > 65535) throw new Error(`${label}: B and NH must be at most 65535`);
}

/** Query (and key) rows per workgroup: the forward keeps 3 tiles of (tile, HD) in workgroup memory. */
function forwardTile(HD: number): number {
  return HD <= 64 ? 16 : 8;
}

/** The backward kernels keep 4 tiles of (tile, HD), so they use smaller tiles. */
function backwardTile(HD: number): number {
  return HD <= 32 ? 16 : HD <= 64 ? 8 : 4;
}

function tileConstants(label: string, HD: number, tile: number): Record<string, number> {
  if ((tile * HD) % WG_SIZE !== 0) throw new Error(`${label}: head dim ${HD} does not split evenly over ${WG_SIZE} threads; use a multiple of 8`);
  return { wg_size: WG_SIZE, hd: HD, tile };
}

function shapeParams(device: GPUDevice, label: string, dims: AttentionDims): GPUBuffer {
  return params(device, [["u32", dims.Tmax], ["u32", dims.NH], ["u32", dims.NKV], ["f32", 1 / Math.sqrt(dims.HD)]], `${label} params`);
}

/**
 * o = softmax(scale q kᵀ, causal) v per sequence and query head, and lse (saved for backward).
 * q: (B*Tmax, NH*HD), k, v: (B*Tmax, NKV*HD), lens: (B) u32 -> o: (B*Tmax, NH*HD), lse: (B*Tmax, NH).
 * Padding rows (i >= lens[b]) get o = 0 and lse = 0; padded k/v rows are never read.
 */
export function prepareAttentionForward(
  device: GPUDevice,
  io: { q: GPUBuffer; k: GPUBuffer; v: GPUBuffer; lens: GPUBuffer; o: GPUBuffer; lse: GPUBuffer },
  dims: AttentionDims,
): Dispatch {
  const label = "attention_forward";
  checkDims(label, dims);
  const tile = forwardTile(dims.HD);
  const kernel = getKernel(device, label, forwardSource, tileConstants(label, dims.HD, tile));
  return makeDispatch(
    device,
    kernel,
    [io.q, io.k, io.v, io.lens, io.o, io.lse, shapeParams(device, label, dims)],
    [Math.ceil(dims.Tmax / tile), dims.NH, dims.B],
  );
}

/**
 * Gradients of attention given dO, written (not accumulated): four dispatches, in order
 * delta = rowsum(dO ⊙ o), dq, dk, dv.
 * q, o, dO: (B*Tmax, NH*HD), k, v: (B*Tmax, NKV*HD), lse: (B*Tmax, NH) from the forward, lens: (B) u32,
 * delta: (B*Tmax, NH) scratch -> dq: (B*Tmax, NH*HD), dk, dv: (B*Tmax, NKV*HD); padding rows get 0.
 */
export function prepareAttentionBackward(
  device: GPUDevice,
  io: {
    q: GPUBuffer;
    k: GPUBuffer;
    v: GPUBuffer;
    o: GPUBuffer;
    lse: GPUBuffer;
    dO: GPUBuffer;
    lens: GPUBuffer;
    delta: GPUBuffer;
    dq: GPUBuffer;
    dk: GPUBuffer;
    dv: GPUBuffer;
  },
  dims: AttentionDims,
): Dispatch[] {
  checkDims("attention_backward", dims);
  const { B, Tmax, NH, NKV, HD } = dims;
  const rows = B * Tmax * NH;
  const deltaKernel = getKernel(device, "attention_backward_delta", backwardDeltaCode, { wg_size: WG_SIZE });
  const delta = makeDispatch(
    device,
    deltaKernel,
    [io.o, io.dO, io.lens, io.delta, params(device, [["u32", rows], ["u32", Tmax], ["u32", NH], ["u32", HD]], "attention_backward_delta params")],
    grid1d(rows, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension),
  );
  const tile = backwardTile(HD);
  const constants = tileConstants("attention_backward", HD, tile);
  const p = shapeParams(device, "attention_backward", dims);
  const blocks = Math.ceil(Tmax / tile);
  const dq = makeDispatch(
    device,
    getKernel(device, "attention_backward_dq", backwardDqSource, constants),
    [io.q, io.k, io.v, io.dO, io.lse, io.delta, io.lens, io.dq, p],
    [blocks, NH, B],
  );
  const dk = makeDispatch(
    device,
    getKernel(device, "attention_backward_dk", backwardDkSource, constants),
    [io.q, io.k, io.v, io.dO, io.lse, io.delta, io.lens, io.dk, p],
    [blocks, NKV, B],
  );
  const dv = makeDispatch(
    device,
    getKernel(device, "attention_backward_dv", backwardDvSource, constants),
    [io.q, io.k, io.dO, io.lse, io.lens, io.dv, p],
    [blocks, NKV, B],
  );
  return [delta, dq, dk, dv];
}
