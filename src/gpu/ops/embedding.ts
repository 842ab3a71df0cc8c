// Launcher for shaders/embedding_forward.wgsl: x[t, :] = E[ids[t], :].
import code from "../../../shaders/embedding_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { type GpuWeight, weightLib } from "../weights";

const WG_SIZE = 64;

/** ids: (T) u32, E: (V, C) any format, x: (T, C) f32. */
export function prepareEmbedding(device: GPUDevice, ids: GPUBuffer, E: GpuWeight, x: GPUBuffer, T: number): Dispatch {
  const C = E.cols;
  if (C % 4 !== 0) throw new Error(`embedding: C must be a multiple of 4, got ${C}`);
  const kernel = getKernel(device, `embedding_forward_${E.format}`, weightLib(E.format) + code, { wg_size: WG_SIZE });
  const p = params(device, [["u32", T], ["u32", C], ["u32", E.rows]]);
  return makeDispatch(device, kernel, [ids, E.data, E.scales, x, p], [Math.ceil(C / 4 / WG_SIZE), T]);
}
