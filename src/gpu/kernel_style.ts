// Which kernel variants suit a device. Hardware GPUs want wide workgroups and
// tiles staged in workgroup memory. CPU adapters (SwiftShader, llvmpipe,
// lavapipe, WARP) run a workgroup's threads as SIMD lanes of one CPU thread, so
// a barrier is a switch between lanes and workgroup memory buys nothing over
// the CPU's caches: there narrow workgroups and barrier-free kernels win (on
// SwiftShader, 2 cores, (3072, 64): RMSNorm 200× faster with 4 threads a row
// than with 256; the linear layer 2.5–4× faster without its shared tiles).
// acquireDevice records the style; launchers ask for it when they compile.

export type KernelStyle = "gpu" | "cpu";

const styles = new WeakMap<GPUDevice, KernelStyle>();

/** True for software adapters, named by the adapter's vendor, architecture or description. */
export function isCpuAdapterInfo(info: { vendor?: string; architecture?: string; description?: string; device?: string }): boolean {
  return /swiftshader|llvmpipe|lavapipe|warp|cpu/i.test(`${info.vendor ?? ""} ${info.architecture ?? ""} ${info.description ?? ""} ${info.device ?? ""}`);
}

/** Sets the variants `device` gets from now on (tests set both in turn; kernels already prepared keep theirs). */
export function setKernelStyle(device: GPUDevice, style: KernelStyle): void {
  styles.set(device, style);
}

/** The variants for `device`: "gpu" unless acquireDevice (or a test) said otherwise. */
export function kernelStyle(device: GPUDevice): KernelStyle {
  return styles.get(device) ?? "gpu";
}
