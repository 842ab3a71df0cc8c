// Launcher for shaders/add_forward.wgsl: y = a + b over N f32 values.
import code from "../../../shaders/add_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, uniformU32 } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;

/** y = a + b; a, b, y: (n) f32 buffers (y may alias neither). */
export function prepareAdd(device: GPUDevice, a: GPUBuffer, b: GPUBuffer, y: GPUBuffer, n: number): Dispatch {
  const kernel = getKernel(device, "add_forward", code, { wg_size: WG_SIZE });
  const grid = grid1d(n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [a, b, y, uniformU32(device, [n])], grid);
}
