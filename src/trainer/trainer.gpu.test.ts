// Checks that the Trainer acquires a device, reports real adapter limits, and reports device loss. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import type { TrainerEvent } from "./events";
import { Trainer } from "./trainer";

describe("Trainer", () => {
  it("reports the adapter's capabilities, then a device loss", async () => {
    const trainer = new Trainer();
    const events: TrainerEvent[] = [];
    const caps = await trainer.connect((e) => events.push(e));
    const adapter = await navigator.gpu.requestAdapter();
    expect(adapter).not.toBeNull();
    expect(caps.limits.maxBufferSize).toBe(adapter!.limits.maxBufferSize);
    expect(caps.limits.maxComputeInvocationsPerWorkgroup).toBe(adapter!.limits.maxComputeInvocationsPerWorkgroup);
    expect(caps.features.subgroups).toBe(adapter!.features.has("subgroups"));
    expect(events).toEqual([{ type: "ready", capabilities: caps }]);

    trainer.releaseDevice();
    await expect.poll(() => events.length, { timeout: 10_000 }).toBe(2);
    expect(events[1]).toMatchObject({ type: "device-lost", reason: "destroyed" });
  });
});
