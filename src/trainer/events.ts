// Events the trainer worker sends to the UI. Plain data only.
import type { GpuCapabilities } from "../gpu/capabilities";

export type TrainerEvent =
  | { type: "ready"; capabilities: GpuCapabilities }
  | { type: "device-lost"; reason: string; message: string }
  | { type: "error"; message: string };

export type TrainerEventSink = (event: TrainerEvent) => void;
