// Launcher for shaders/embedding_backward.wgsl: the gradient of a full-parameter f32 embedding.
import code from "../../../shaders/embedding_backward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, uniformU32 } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 64;

/**
 * dE[v, :] += Σ_t [ids[t] == v] dx[t, :]; ids >= V are ignored. Deterministic
 * (no atomics), O(V·C·T): for tiny models.
 * ids: (T) u32, dx: (T, C) f32 -> dE: (V, C) f32 (accumulated).
 */
export function prepareEmbeddingBackward(
  device: GPUDevice,
  io: { ids: GPUBuffer; dx: GPUBuffer; dE: GPUBuffer },
  dims: { T: number; C: number; V: number },
): Dispatch {
  const { T, C, V } = dims;
  const kernel = getKernel(device, "embedding_backward", code, { wg_size: WG_SIZE });
  const grid = grid1d(V * Math.ceil(C / WG_SIZE), 1, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.ids, io.dx, io.dE, uniformU32(device, [T, C, V], "embedding_backward.params")], grid);
}
