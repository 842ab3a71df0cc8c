// The training run's contract between the trainer worker, the UI and the CLI:
// what a run is asked to do (a new run, or the resumption of a saved one), the
// plain-data events it streams while it runs, and the metrics in them. Types
// only, so the UI and the CLI read them without the engine.
import type { RolloutEvent } from "./rollout_events";
import type { FormatName, RolloutFormat } from "./format";
import type { Trace } from "./trace";
import type { DapoConfig } from "./dapo_config";
import type { LoraSettings } from "./lora";
import type { Task } from "./tasks";

/** Where a run's tasks come from: the built-in generator, or tasks the UI imported. */
export type TaskSource =
  | { kind: "builtin"; seed: number; counts?: Partial<Record<"compute" | "fact1" | "fact2" | "mixed" | "easy", number>>; level?: "full" | "tiny" }
  | { kind: "tasks"; label: string; train: Task[]; test: Task[] };

/** Accuracy, tool use and length on held-out tasks, greedy or sampled. */
export type EvalMetrics = {
  /** Optimizer step the adapter had taken when evaluated (0 = before training). */
  step: number;
  mode: "greedy" | "sampled";
  /** Held-out tasks. */
  n: number;
  /** Sampled mode: rollouts per task when more than one (acc is avg@samples). */
  samples?: number;
  acc: number;
  reward: number;
  tool_calls: number;
  tool_calls_search: number;
  tool_calls_code: number;
  response_tokens: number;
  /** Built-in tasks only: accuracy and tool-use share per category (compute, fact1, …). */
  byCategory?: Record<string, { n: number; acc: number; usedSearch: number; usedCode: number; usedNone: number }>;
  seconds: number;
};

/** A new run, as the UI (or `tapo train`) asks for it; run.json keeps it, so a resumed run repeats it. */
export type TrainRequest = {
  tasks: TaskSource;
  config: Partial<DapoConfig>;
  /** Optimizer steps to run in all (a resumed run continues to this). */
  steps: number;
  seed: number;
  /** Evaluate before training, every evalEvery steps (0: only before and after) and at the end. */
  evalEvery: number;
  /** Held-out tasks per evaluation. */
  evalTasks: number;
  /** Save a checkpoint every N steps (and at the end). */
  checkpointEvery: number;
  /**
   * The adapter's settings (src/protocol/lora.ts). Absent: the adapter the run starts from decides
   * them, or DEFAULT_LORA for a fresh one; the run records what it used, so resume and export keep it.
   */
  lora?: LoraSettings;
  /** Rollout format: a preset name (default "tapo"), or fields that override the tapo preset (e.g. a shorter system prompt). */
  format?: FormatName | Partial<RolloutFormat>;
  /** Search backend: "local" (default), "wikipedia" or "searxng:<url>". */
  searchBackend?: string;
  /** Also evaluate sampled at the training temperature, besides greedy: this many samples per task (avg@k); 0 or absent: greedy only. */
  evalSamples?: number;
};

/** Continue saved run `resume` from its last whole checkpoint up to `steps` steps in all; everything else is the saved run's own request. */
export type ResumeRequest = { resume: string; steps: number };

/** What the trainer is asked to run. */
export type RunRequest = TrainRequest | ResumeRequest;

export function isResumeRequest(request: RunRequest): request is ResumeRequest {
  return "resume" in request;
}

/** The stage a step is in, for progress bars. */
export type StepPhase = "generate" | "update" | "eval" | "checkpoint";

export type RunStatus = "running" | "paused" | "stopped" | "finished" | "failed";

export type RunEvent =
  /** `request` is the run's own (for a resumed run, the saved one); `resumed` says whether it continues a saved run. */
  | { type: "run-started"; runId: string; request: TrainRequest; resumed: boolean; config: DapoConfig; startStep: number; memory?: PlannedMemory }
  /** Rollout events of the step in progress, batched (at most 20 batches a second). */
  | { type: "rollouts"; step: number; events: RolloutEvent[] }
  | { type: "phase"; step: number; phase: StepPhase; done: number; total: number }
  | { type: "step"; metrics: StepMetrics }
  /** The finished step's rollouts as traces. */
  | { type: "traces"; step: number; traces: Trace[] }
  | { type: "eval"; eval: EvalMetrics }
  | { type: "checkpoint"; step: number; runId: string }
  | { type: "status"; status: RunStatus; message?: string };

export type RunEventSink = (event: RunEvent) => void;

/** A saved run, as the UI lists it after a reload. */
export type RunSummary = {
  runId: string;
  model: string;
  created: string;
  /** Steps completed in the last whole checkpoint. */
  step: number;
  steps: number;
  status: RunStatus;
  /** Another tab of this browser is training it (it holds the run's lock): read-only here. */
  elsewhere?: boolean;
  /** What the user called the run, and a note on it (kept beside the run, never touched by training). */
  name?: string;
  note?: string;
};

/** A run's name and note, as the user set them; limits in RunLabelLimits. */
export type RunLabel = { name: string; note: string };
export const RUN_LABEL_LIMITS = { name: 80, note: 2000 } as const;

/** What leaves the browser for a saved run: its adapter as of its last whole checkpoint, and its settings. */
export type RunExport = {
  runId: string;
  /** The checkpoint's step. */
  step: number;
  /** PEFT adapter files by name (adapter_config.json, adapter_model.safetensors). */
  adapter: Record<string, Uint8Array>;
  /** The DAPO settings in full, as `tapo train --config F` takes them. */
  config: DapoConfig;
  request: TrainRequest;
};

/**
 * GPU memory a run plans, bytes: base weights; the adapter with its gradients and AdamW moments; the
 * generator's KV cache and buffers; the update's activations (the largest pass); and their sum, the peak.
 */
export type PlannedMemory = { weights: number; trainable: number; generation: number; update: number; total: number };

/** What a saved run has logged so far. */
export type RunHistory = { metrics: StepMetrics[]; evals: EvalMetrics[]; traces: Trace[] };

/** DESIGN.md's `step` event fields (plus the time split). */
export type StepMetrics = {
  step: number;
  reward: number;
  acc: number;
  tool_calls: number;
  /** Of those, search calls and Python calls per rollout. */
  tool_calls_search: number;
  tool_calls_code: number;
  response_tokens: number;
  entropy: number;
  clip_frac: number;
  kept_groups: number;
  seconds: number;
  /** Generation wall time with tool time taken out, tool wait (any call running), and the update. */
  seconds_generate: number;
  seconds_tools: number;
  seconds_update: number;
  /** Policy tokens sampled in the step, over every regeneration round (absent in runs saved before it was logged). */
  tokens_generated?: number;
  /** Policy tokens in the loss (the kept groups' rollouts). */
  tokens_trained?: number;
};
