// Checks how trainer events change the UI store (ready, device loss, errors). Pure, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import type { GpuCapabilities } from "../gpu/capabilities";
import { applyTrainerEvent, resetAppStore, setGpuUnavailable, setModelLoading, useAppStore } from "./store";

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

describe("model loading state", () => {
  beforeEach(resetAppStore);

  it("tracks progress with a rate and time left, then the loaded model or the failure", () => {
    setModelLoading("tiny.gguf");
    applyTrainerEvent({ type: "load-progress", progress: { bytesDone: 0, bytesTotal: 1000, file: "tiny.gguf" } });
    const first = useAppStore.getState().model;
    expect(first).toMatchObject({ status: "loading", label: "tiny.gguf", progress: { bytesDone: 0 } });
    applyTrainerEvent({ type: "load-progress", progress: { bytesDone: 400, bytesTotal: 1000, file: "tiny.gguf" } });
    const later = useAppStore.getState().model;
    if (later.status !== "loading") throw new Error("not loading");
    expect(later.progress?.bytesDone).toBe(400);
    // 400 bytes arrived; the rest at the same rate takes 1.5 times as long as they did.
    if (later.rateBytesPerSec) expect(later.secondsLeft).toBeCloseTo(600 / later.rateBytesPerSec, 6);
    applyTrainerEvent({ type: "load-failed", message: "file truncated" });
    expect(useAppStore.getState().model).toEqual({ status: "failed", label: "tiny.gguf", message: "file truncated" });
  });
});
