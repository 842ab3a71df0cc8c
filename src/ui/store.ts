// UI state in zustand: serialisable only (no GPUDevice, no Worker). Actions are
// module-level functions so worker event handlers can call them without hooks.
import { create } from "zustand";
import type { GpuCapabilities } from "../gpu/capabilities";
import type { LoadProgress } from "../loader/load_progress";
import { progressOf, RateMeter } from "../sources/progress";
import type { ModelSummary, TrainerEvent } from "../trainer/events";

export type GpuState =
  | { status: "pending" }
  | { status: "ready"; capabilities: GpuCapabilities }
  | { status: "unavailable"; message: string }
  | { status: "lost"; message: string; capabilities?: GpuCapabilities }
  | { status: "error"; message: string };

/** The model in the trainer worker. */
export type ModelLoadState =
  | { status: "none" }
  | { status: "loading"; label: string; progress?: LoadProgress; rateBytesPerSec?: number; secondsLeft?: number | null }
  | { status: "loaded"; model: ModelSummary }
  | { status: "failed"; label: string; message: string };

export type AppState = { gpu: GpuState; model: ModelLoadState };

const initialState: AppState = { gpu: { status: "pending" }, model: { status: "none" } };

export const useAppStore = create<AppState>()(() => initialState);

/** Back to the initial state (tests call this between cases). */
export function resetAppStore(): void {
  useAppStore.setState(initialState, true);
}

export function setGpuUnavailable(message: string): void {
  useAppStore.setState({ gpu: { status: "unavailable", message } });
}

/** Measures the load's rate from its progress events (main thread: the clock the user sees). */
let loadRate = new RateMeter();

export function setModelLoading(label: string): void {
  loadRate = new RateMeter();
  useAppStore.setState({ model: { status: "loading", label } });
}

/** Folds one trainer event into the store. */
export function applyTrainerEvent(event: TrainerEvent): void {
  switch (event.type) {
    case "ready":
      useAppStore.setState({ gpu: { status: "ready", capabilities: event.capabilities } });
      return;
    case "device-lost": {
      const previous = useAppStore.getState().gpu;
      const capabilities = previous.status === "ready" ? previous.capabilities : undefined;
      const message = `The GPU device was lost (${event.reason}): ${event.message}. Reload the page to start again.`;
      useAppStore.setState({ gpu: capabilities ? { status: "lost", message, capabilities } : { status: "lost", message } });
      return;
    }
    case "error":
      useAppStore.setState({ gpu: { status: "error", message: event.message } });
      return;
    case "load-progress": {
      const m = useAppStore.getState().model;
      const label = m.status === "loading" ? m.label : event.progress.file;
      loadRate.sample(performance.now(), event.progress.bytesDone);
      const { rateBytesPerSec, secondsLeft } = progressOf(event.progress.bytesDone, event.progress.bytesTotal, event.progress.file, loadRate.rate());
      useAppStore.setState({
        model: { status: "loading", label, progress: event.progress, rateBytesPerSec, secondsLeft: Number.isFinite(secondsLeft) ? secondsLeft : null },
      });
      return;
    }
    case "model-loaded":
      useAppStore.setState({ model: { status: "loaded", model: event.model } });
      return;
    case "load-failed": {
      const m = useAppStore.getState().model;
      useAppStore.setState({ model: { status: "failed", label: m.status === "loading" ? m.label : "the model", message: event.message } });
      return;
    }
  }
}
