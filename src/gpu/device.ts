// Acquires a GPUDevice from whatever `navigator.gpu` the host offers (a page, a
// worker, or Node's `webgpu` package), asking for the adapter's full limits and
// the optional features the kernels can use. The engine takes this device and
// nothing else from its host.
import { describeAdapter, FEATURE_NAMES, type GpuCapabilities, LIMIT_NAMES } from "./capabilities";
import { isCpuAdapterInfo, setKernelStyle } from "./kernel_style";

/** WebGPU is absent or gave no adapter; the message says what to do. */
export class WebGpuUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `${reason}. TAPO Studio needs WebGPU: use Chrome or Edge 113+ on Windows, macOS or ChromeOS, ` +
        "Chrome on Linux with chrome://flags/#enable-unsafe-webgpu enabled (or started with " +
        "--enable-unsafe-webgpu), or Safari 26+. Pages must be served over https or localhost.",
    );
    this.name = "WebGpuUnavailableError";
  }
}

export type AcquiredDevice = {
  device: GPUDevice;
  capabilities: GpuCapabilities;
};

/** Requests the adapter and a device with its best limits and useful features. */
export async function acquireDevice(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<AcquiredDevice> {
  if (!gpu) throw new WebGpuUnavailableError("this browser exposes no navigator.gpu");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new WebGpuUnavailableError("navigator.gpu gave no adapter (the GPU may be blocklisted)");
  const requiredFeatures = FEATURE_NAMES.filter((name) => adapter.features.has(name));
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits, label: "tapo-engine" });
  setKernelStyle(device, isCpuAdapterInfo(adapter.info) ? "cpu" : "gpu");
  return { device, capabilities: describeAdapter(adapter) };
}
