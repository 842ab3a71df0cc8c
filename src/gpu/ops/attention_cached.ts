// Launcher for shaders/attention_cached_forward.wgsl: attention of new query rows (prefill or
// decode) over the keys and values cached for each row's slot, positions 0..its own.
import code from "../../../shaders/attention_cached_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";

const WG_SIZE = 64;
const MAX_HD = 4 * WG_SIZE;

export type AttentionCachedDims = { M: number; NH: number; NKV: number; HD: number; L: number };

/**
 * q: (M, NH*HD), kc, vc: (S, L, NKV*HD) f32, rowpos: (M, 2) u32 (slot, position)
 * -> o: (M, NH*HD) = softmax(q kᵀ / sqrt(HD)) v over the slot's cache positions 0..position.
 * The rows' own keys and values must already be in the cache (prepareKvCacheWrite).
 */
export function prepareAttentionCachedForward(
  device: GPUDevice,
  io: { q: GPUBuffer; kc: GPUBuffer; vc: GPUBuffer; rowpos: GPUBuffer; o: GPUBuffer },
  dims: AttentionCachedDims,
): Dispatch {
  const label = "attention_cached_forward";
  const { M, NH, NKV, HD, L } = dims;
  for (const [name, x] of Object.entries(dims)) {
    if (!Number.isInteger(x) || x < 1) throw new Error(`${label}: ${name} must be a positive integer, got ${x}`);
  }
  if (NH % NKV !== 0) throw new Error(`${label}: NH=${NH} must be a multiple of NKV=${NKV}`);
  if (HD > MAX_HD) throw new Error(`${label}: head dim at most ${MAX_HD}, got ${HD}`);
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  if (M > max || NH > max) throw new Error(`${label}: M=${M} and NH=${NH} must be at most ${max}`);
  const kernel = getKernel(device, label, code, { wg_size: WG_SIZE, hd: HD });
  const p = params(device, [["u32", NH], ["u32", NKV], ["u32", L], ["f32", 1 / Math.sqrt(HD)]], `${label} params`);
  return makeDispatch(device, kernel, [io.q, io.kc, io.vc, io.rowpos, io.o, p], [NH, M]);
}
