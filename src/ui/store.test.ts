// Checks how trainer events change the UI store (ready, device loss, errors). Pure, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import type { GpuCapabilities } from "../gpu/capabilities";
import { applyTrainerEvent, resetAppStore, setGpuUnavailable, useAppStore } from "./store";

const caps: GpuCapabilities = {
  vendor: "acme",
  architecture: "rdna9",
  device: "",
  description: "",
  limits: {
    maxBufferSize: 2 ** 30,
    maxStorageBufferBindingSize: 2 ** 27,
    maxComputeWorkgroupStorageSize: 32768,
    maxComputeInvocationsPerWorkgroup: 1024,
    maxStorageBuffersPerShaderStage: 10,
    maxComputeWorkgroupsPerDimension: 65535,
  },
  features: { "shader-f16": true, subgroups: false, "timestamp-query": true },
};

describe("app store", () => {
  beforeEach(resetAppStore);

  it("starts pending and becomes ready with the capabilities", () => {
    expect(useAppStore.getState().gpu.status).toBe("pending");
    applyTrainerEvent({ type: "ready", capabilities: caps });
    expect(useAppStore.getState().gpu).toEqual({ status: "ready", capabilities: caps });
  });

  it("keeps the capabilities and names the reason when the device is lost", () => {
    applyTrainerEvent({ type: "ready", capabilities: caps });
    applyTrainerEvent({ type: "device-lost", reason: "unknown", message: "driver reset" });
    const gpu = useAppStore.getState().gpu;
    expect(gpu.status).toBe("lost");
    if (gpu.status !== "lost") return;
    expect(gpu.capabilities).toEqual(caps);
    expect(gpu.message).toContain("driver reset");
    expect(gpu.message).toContain("Reload");
  });

  it("records unavailability and errors with their messages", () => {
    setGpuUnavailable("no navigator.gpu");
    expect(useAppStore.getState().gpu).toEqual({ status: "unavailable", message: "no navigator.gpu" });
    applyTrainerEvent({ type: "error", message: "boom" });
    expect(useAppStore.getState().gpu).toEqual({ status: "error", message: "boom" });
  });
});
