// Starts the trainer worker, wraps it with comlink, and feeds its events into
// the store. The only place the UI touches the Worker object.
import { proxy, type Remote, wrap } from "comlink";
import type { Trainer } from "../trainer/trainer";
import { applyTrainerEvent, setGpuUnavailable } from "./store";

let remote: Remote<Trainer> | undefined;

/** The trainer's comlink proxy, once started. */
export function trainer(): Remote<Trainer> | undefined {
  return remote;
}

/** Starts the worker and connects it to the GPU; safe to call once per page. */
export function startTrainerWorker(): void {
  if (remote) return;
  if (!("gpu" in navigator) || !navigator.gpu) {
    setGpuUnavailable("This browser exposes no WebGPU (navigator.gpu is missing).");
    return;
  }
  const worker = new Worker(new URL("../../workers/trainer.worker.ts", import.meta.url), {
    type: "module",
    name: "trainer",
  });
  worker.addEventListener("error", (event) => {
    applyTrainerEvent({ type: "error", message: `The trainer worker failed to start: ${event.message || "unknown error"}` });
  });
  remote = wrap<Trainer>(worker);
  remote.connect(proxy(applyTrainerEvent)).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (/WebGPU|adapter|navigator\.gpu/.test(message)) setGpuUnavailable(message);
  });
}
