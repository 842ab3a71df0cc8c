// What the UI and the engine need to know about a WebGPU adapter: who made it,
// the limits that bound model and batch sizes, and the optional features the
// kernels can use. Plain data, so it crosses the worker boundary and lives in stores.

/** Limits that decide whether a model and batch fit. */
export const LIMIT_NAMES = [
  "maxBufferSize",
  "maxStorageBufferBindingSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupsPerDimension",
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Optional features the kernels use when present. */
export const FEATURE_NAMES = ["shader-f16", "subgroups", "timestamp-query"] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export type GpuCapabilities = {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  limits: Record<LimitName, number>;
  features: Record<FeatureName, boolean>;
};

/** Reads an adapter's identity, limits and features into plain data. */
export function describeAdapter(adapter: GPUAdapter): GpuCapabilities {
  const info = adapter.info;
  const limits = {} as Record<LimitName, number>;
  for (const name of LIMIT_NAMES) limits[name] = adapter.limits[name];
  const features = {} as Record<FeatureName, boolean>;
  for (const name of FEATURE_NAMES) features[name] = adapter.features.has(name);
  return {
    vendor: info.vendor || "unknown",
    architecture: info.architecture || "unknown",
    device: info.device || "",
    description: info.description || "",
    limits,
    features,
  };
}
