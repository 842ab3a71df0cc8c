// Launchers for SwiGLU, the Qwen2 MLP gate: shaders/swiglu_forward.wgsl and swiglu_backward.wgsl,
// both with shaders/lib/sigmoid.wgsl prepended.
import sigmoidLib from "../../../shaders/lib/sigmoid.wgsl?raw";
import backwardCode from "../../../shaders/swiglu_backward.wgsl?raw";
import forwardCode from "../../../shaders/swiglu_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, uniformU32 } from "../kernel";
import { grid1d } from "./grid";

const WG_SIZE = 256;

/** h = silu(gate) · up elementwise; gate, up, h: (n) f32 (h aliases neither input). */
export function prepareSwigluForward(
  device: GPUDevice,
  io: { gate: GPUBuffer; up: GPUBuffer; h: GPUBuffer },
  dims: { n: number },
): Dispatch {
  const kernel = getKernel(device, "swiglu_forward", sigmoidLib + forwardCode, { wg_size: WG_SIZE });
  const grid = grid1d(dims.n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.gate, io.up, io.h, uniformU32(device, [dims.n], "swiglu_forward.params")], grid);
}

/**
 * Gradients of h = silu(gate) · up given dh; dgate and dup are overwritten.
 * gate, up, dh: (n) f32 -> dgate, dup: (n) f32.
 */
export function prepareSwigluBackward(
  device: GPUDevice,
  io: { gate: GPUBuffer; up: GPUBuffer; dh: GPUBuffer; dgate: GPUBuffer; dup: GPUBuffer },
  dims: { n: number },
): Dispatch {
  const kernel = getKernel(device, "swiglu_backward", sigmoidLib + backwardCode, { wg_size: WG_SIZE });
  const grid = grid1d(dims.n, WG_SIZE, device.limits.maxComputeWorkgroupsPerDimension);
  const p = uniformU32(device, [dims.n], "swiglu_backward.params");
  return makeDispatch(device, kernel, [io.gate, io.up, io.dh, io.dgate, io.dup, p], grid);
}
