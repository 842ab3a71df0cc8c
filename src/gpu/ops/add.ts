// Launcher for shaders/add_forward.wgsl: y = a + b over N f32 values.
import code from "../../../shaders/add_forward.wgsl?raw";
import { encodeDispatch, getKernel, uniformU32 } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;

/** Records y = a + b; a, b, y: (n) f32 buffers. */
export function addForward(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  a: GPUBuffer,
  b: GPUBuffer,
  y: GPUBuffer,
  n: number,
): void {
  const kernel = getKernel(device, "add_forward", code, { wg_size: WG_SIZE });
  const params = uniformU32(device, [n]);
  encodeDispatch(encoder, device, kernel, [a, b, y, params], grid1d(n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension));
}
