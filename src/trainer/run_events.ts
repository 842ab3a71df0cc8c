// The training run's contract between the trainer worker and the UI (and the
// CLI): what a run is asked to do, and the plain-data events it streams while
// it runs. Kept apart from the loop so the UI can import it without the engine.
import type { RolloutEvent } from "../rollout/events";
import type { FormatName, RolloutFormat } from "../rollout/formats";
import type { Trace } from "../rollout/trace";
import type { DapoConfig } from "../rl/config";
import type { StepMetrics } from "../rl/train_step";
import type { Task } from "../tasks/types";

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

/** What the UI (or `tapo train`) asks the trainer to do. */
export type TrainRequest = {
  /** A run id to resume from its last checkpoint; a new run when absent. */
  resume?: string;
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
  /** LoRA rank and alpha. */
  lora?: { r: number; alpha: number };
  /** Rollout format: a preset name (default "tapo"), or fields that override the tapo preset (e.g. a shorter system prompt). */
  format?: FormatName | Partial<RolloutFormat>;
  /** Search backend: "local" (default), "wikipedia" or "searxng:<url>". */
  searchBackend?: string;
  /** Also evaluate sampled at the training temperature, besides greedy: this many samples per task (avg@k); 0 or absent: greedy only. */
  evalSamples?: number;
};

/** The stage a step is in, for progress bars. */
export type StepPhase = "generate" | "update" | "eval" | "checkpoint";

export type RunStatus = "running" | "paused" | "stopped" | "finished" | "failed";

export type RunEvent =
  | { type: "run-started"; runId: string; request: TrainRequest; config: DapoConfig; startStep: number }
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
};

/** What a saved run has logged so far. */
export type RunHistory = { metrics: StepMetrics[]; evals: EvalMetrics[]; traces: Trace[] };
