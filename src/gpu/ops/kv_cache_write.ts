// Launcher for shaders/kv_cache_write.wgsl: scatters new key/value rows into a layer's KV cache
// at each row's (slot, position).
import code from "../../../shaders/kv_cache_write.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;

/**
 * k, v: (M, W) f32, rowpos: (M, 2) u32 (slot, position) -> kc, vc: (S, L, W) f32 with
 * kc[slot, pos, :] = k[r, :] and vc[slot, pos, :] = v[r, :]; other cache rows are untouched.
 */
export function prepareKvCacheWrite(
  device: GPUDevice,
  io: { k: GPUBuffer; v: GPUBuffer; rowpos: GPUBuffer; kc: GPUBuffer; vc: GPUBuffer },
  dims: { M: number; W: number; L: number },
): Dispatch {
  const { M, W, L } = dims;
  for (const [name, x] of Object.entries({ M, W, L })) {
    if (!Number.isInteger(x) || x < 1) throw new Error(`kv_cache_write: ${name} must be a positive integer, got ${x}`);
  }
  const kernel = getKernel(device, "kv_cache_write", code, { wg_size: WG_SIZE });
  const n = M * W;
  return makeDispatch(
    device,
    kernel,
    [io.k, io.v, io.rowpos, io.kc, io.vc, params(device, [["u32", n], ["u32", W], ["u32", L]], "kv_cache_write params")],
    grid1d(n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension),
  );
}
