// Events the trainer worker sends to the UI. Plain data only.
import type { GpuCapabilities } from "../gpu/capabilities";
import type { LoadProgress } from "../loader/load_progress";
import type { Qwen2Config } from "../model/config";
import type { FormatName } from "../protocol/format";

/** What the UI shows about a loaded model. */
export type ModelSummary = {
  label: string;
  kind: "safetensors" | "gguf";
  config: Qwen2Config;
  quant: string;
  parameters: number;
  gpuBytes: number;
  /** Mean log-prob of a fixed probe sequence after loading: proves a forward pass ran, and equals across sources of one model. */
  probeLogp: number;
  /** Tokens the tokenizer knows, and whether it carries a chat template. */
  tokenizerVocab: number;
  chatTemplate: boolean;
  /** The rollout format the model's tapo.json asks for (the bundled tiny model: "tiny"). */
  format?: FormatName;
  /** The tool-call limit the model's tapo.json says it learned (the bundled tiny model: 2). */
  maxTurns?: number;
};

export type TrainerEvent =
  | { type: "ready"; capabilities: GpuCapabilities }
  | { type: "device-lost"; reason: string; message: string }
  | { type: "error"; message: string }
  | { type: "load-progress"; progress: LoadProgress }
  | { type: "model-loaded"; model: ModelSummary }
  | { type: "load-failed"; message: string };

export type TrainerEventSink = (event: TrainerEvent) => void;
