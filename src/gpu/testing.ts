// Helpers for the GPU tests (browser only): one shared device per test file,
// and output buffers poisoned with NaN so an element a kernel never writes fails.
import { acquireDevice } from "./device";
import { storageBuffer } from "./kernel";

let shared: Promise<GPUDevice> | undefined;

/** The test device; fails loudly (never skips) when the browser has no WebGPU. */
export function testDevice(): Promise<GPUDevice> {
  shared ??= acquireDevice().then(({ device }) => device);
  return shared;
}

/** A storage buffer of n f32 NaNs. */
export function poisonedF32(device: GPUDevice, n: number, label = "poisoned"): GPUBuffer {
  return storageBuffer(device, new Float32Array(n).fill(Number.NaN), label);
}
