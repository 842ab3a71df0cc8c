// UI state in zustand: serialisable only (no GPUDevice, no Worker). Actions are
// module-level functions so worker event handlers can call them without hooks.
import { create } from "zustand";
import type { GpuCapabilities } from "../gpu/capabilities";
import type { TrainerEvent } from "../trainer/events";

export type GpuState =
  | { status: "pending" }
  | { status: "ready"; capabilities: GpuCapabilities }
  | { status: "unavailable"; message: string }
  | { status: "lost"; message: string; capabilities?: GpuCapabilities }
  | { status: "error"; message: string };

export type AppState = { gpu: GpuState };

const initialState: AppState = { gpu: { status: "pending" } };

export const useAppStore = create<AppState>()(() => initialState);

/** Back to the initial state (tests call this between cases). */
export function resetAppStore(): void {
  useAppStore.setState(initialState, true);
}

export function setGpuUnavailable(message: string): void {
  useAppStore.setState({ gpu: { status: "unavailable", message } });
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
  }
}
