// Reads the adapter limits that bound model sizes from the app store's WebGPU state (read-only).
import type { GpuState } from "../store";
import type { AdapterLimits } from "../../sources/presets";

/** The adapter's buffer limits when known (ready, or lost with capabilities), else {}. */
export function adapterLimits(gpu: GpuState): AdapterLimits {
  const caps = gpu.status === "ready" || gpu.status === "lost" ? gpu.capabilities : undefined;
  if (!caps) return {};
  return { maxBufferSize: caps.limits.maxBufferSize, maxStorageBufferBindingSize: caps.limits.maxStorageBufferBindingSize };
}
