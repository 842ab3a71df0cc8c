// Helpers for the GPU tests (browser only): one shared device per test file,
// output buffers poisoned with NaN so an element a kernel never writes fails,
// and error scopes so a shader that fails to compile or bind fails the test
// with WebGPU's message instead of leaving NaNs behind.
import { acquireDevice } from "./device";
import { storageBuffer } from "./kernel";
import { type KernelStyle, setKernelStyle } from "./kernel_style";

let shared: Promise<GPUDevice> | undefined;

/** The test device; fails loudly (never skips) when the browser has no WebGPU. */
export function testDevice(): Promise<GPUDevice> {
  shared ??= acquireDevice().then(({ device }) => device);
  return shared;
}

/** Both kernel styles: tests of kernels with a CPU-adapter variant check each against the reference. */
export const KERNEL_STYLES: readonly KernelStyle[] = ["gpu", "cpu"];

/** The test device, with `style`'s variants chosen for the kernels the test prepares next. */
export async function styledTestDevice(style: KernelStyle): Promise<GPUDevice> {
  const device = await testDevice();
  setKernelStyle(device, style);
  return device;
}

/** A storage buffer of n f32 NaNs. */
export function poisonedF32(device: GPUDevice, n: number, label = "poisoned"): GPUBuffer {
  return storageBuffer(device, new Float32Array(n).fill(Number.NaN), label);
}

/**
 * Runs `work` (pipeline creation, binding, dispatch) inside validation,
 * internal and out-of-memory error scopes and throws the first error raised.
 */
export async function gpuChecked<T>(device: GPUDevice, work: () => T | Promise<T>): Promise<T> {
  const filters: GPUErrorFilter[] = ["validation", "internal", "out-of-memory"];
  for (const f of filters) device.pushErrorScope(f);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const errors = (await Promise.all(filters.map(() => device.popErrorScope()))).filter((e) => e !== null);
  if (errors.length > 0) throw new Error(`WebGPU error: ${errors.map((e) => e.message).join(" | ")}`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
