// A DAPO training run, top to bottom: (resume from the last whole checkpoint)
// → evaluate before → for each step: dapoStep (rollout → reward → advantages
// → loss → AdamW), evaluate every N, log the step's metrics, traces and
// evaluations (run_log.ts), checkpoint every N → evaluate at the end → final
// checkpoint. Pause waits at the next step
// boundary; stop cancels the step in progress (its rollouts are discarded, so
// at most that step is lost) and keeps the last checkpoint.
import { identityDifference, type ModelIdentity } from "../loader/model_identity";
import { GpuGenerator } from "../generate/generator";
import { type LoraSettings, sameLoraSettings } from "../protocol/lora";
import { AdamWOptimizer } from "../model/optimizer";
import type { ModelRuntime } from "../model/runtime";
import { readTrainableState, writeTrainableState } from "../model/trainable_state";
import { renderPrompt } from "../rollout/formats";
import { type RolloutFormat } from "../protocol/format";
import { RolloutAbortedError } from "../rollout/rollout";
import { StreamBatcher } from "../rollout/stream_batcher";
import { toTrace } from "../traces/from_rollout";
import { type Trace } from "../protocol/trace";
import type { StorageDir } from "../storage/dir";
import type { Task } from "../protocol/tasks";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolRunner } from "../protocol/tools";
import type { EvalMetrics, RunEventSink, RunStatus, TrainRequest } from "../protocol/run";
import { mulberry32 } from "../util/random";
import { loadLatestCheckpoint, saveCheckpoint } from "./checkpoint";
import type { DapoConfig } from "../protocol/dapo_config";
import { evaluate } from "./evaluate";
import { historyAt, type StepLog, writeRunLog, writeStepLog } from "./run_log";
import { dapoStep } from "./train_step";
import { RunSetupError } from "./run_setup_error";
import { plannedMemory } from "./planned_memory";
import { type StepMetrics } from "../protocol/run";

export type RunDeps = {
  /** A runtime in LoRA mode (the adapter being trained). */
  runtime: ModelRuntime;
  tokenizer: QwenTokenizer;
  tools: ToolRunner;
  format: RolloutFormat;
  /** Hub id, file name or "tiny": written into traces and the adapter config. */
  modelLabel: string;
  /** The base model's identity: checkpoints record it, and a resume on another model is refused. */
  modelIdentity?: ModelIdentity;
  /** The run's folder; without one nothing is saved and nothing can resume. */
  dir?: StorageDir;
  onEvent: RunEventSink;
};

export type RunSpec = {
  runId: string;
  train: Task[];
  test: Task[];
  config: DapoConfig;
  lora: LoraSettings;
  steps: number;
  seed: number;
  /** Evaluate every N steps besides before and after (0: only before and after). */
  evalEvery: number;
  /** Held-out tasks per evaluation (0: no evaluation). */
  evalTasks: number;
  /** Also evaluate sampled at the training temperature, besides greedy: samples per task (avg@k); 0 or absent: greedy only. */
  evalSamples?: number;
  checkpointEvery: number;
  /** Continue from the last whole checkpoint in deps.dir when there is one. */
  resume: boolean;
  /** What was asked for, echoed in the run-started event. */
  request: TrainRequest;
};

export { RunSetupError } from "./run_setup_error";

/** The train tasks in the order step `step` of a run seeded `seed` uses them (a seeded shuffle). */
export function taskOrder(tasks: readonly Task[], seed: number, step: number): Task[] {
  const rand = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0);
  const out = [...tasks];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export class TrainingRun {
  readonly metrics: StepMetrics[] = [];
  readonly evals: EvalMetrics[] = [];
  readonly traces: Trace[] = [];
  /** Steps completed (restored on resume). */
  step = 0;
  private gate: { promise: Promise<void>; open: () => void } | undefined;
  private readonly abort = new AbortController();
  private readonly optimizer: AdamWOptimizer;

  constructor(
    private readonly deps: RunDeps,
    readonly spec: RunSpec,
  ) {
    if (spec.train.length === 0) throw new RunSetupError("the task set has no training tasks: choose built-in tasks or import a dataset with rows");
    if (!Number.isInteger(spec.steps) || spec.steps < 1) throw new RunSetupError(`steps must be a whole number ≥ 1, got ${spec.steps}`);
    if (!Number.isInteger(spec.checkpointEvery) || spec.checkpointEvery < 1) {
      throw new RunSetupError(`checkpointEvery must be a whole number ≥ 1, got ${spec.checkpointEvery}`);
    }
    this.optimizer = new AdamWOptimizer(deps.runtime.device, deps.runtime.model.trainables);
  }

  /** Waits at the next step boundary until resume() or stop(). */
  pause(): void {
    if (this.gate) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  /** Cancels the step in progress and ends the run (the last checkpoint stays). */
  stop(): void {
    this.abort.abort();
    this.resume();
  }

  get paused(): boolean {
    return this.gate !== undefined;
  }

  /** Runs to the last step, or until stopped; resolves with how it ended (errors reject). */
  async run(): Promise<RunStatus> {
    const { deps, spec } = this;
    const config = spec.config;
    const maxLength = this.contextLength();
    const generator = GpuGenerator.fromRuntime(deps.runtime, {
      maxSequences: Math.min(64, Math.max(config.groupSize * config.promptsPerBatch, spec.evalTasks * Math.max(1, spec.evalSamples ?? 1), 1)),
      maxLength,
    });
    try {
      if (spec.resume) await this.restore();
      const memory = plannedMemory(generator.memory, deps.runtime.passMemory(config.groupSize * config.promptsPerBatch, maxLength));
      deps.onEvent({ type: "run-started", runId: spec.runId, request: spec.request, resumed: spec.resume, config, startStep: this.step, ...(memory ? { memory } : {}) });
      deps.onEvent({ type: "status", status: "running" });
      if (this.step === 0 && this.evals.length === 0) {
        await this.evaluateNow(generator, maxLength);
        await this.log({ v: 1, step: 0, evals: this.evals.slice(), traces: [] });
      }
      while (this.step < spec.steps) {
        if (this.gate) {
          deps.onEvent({ type: "status", status: "paused" });
          await this.gate.promise;
          if (!this.abort.signal.aborted) deps.onEvent({ type: "status", status: "running" });
        }
        if (this.abort.signal.aborted) break;
        const step = this.step + 1;
        generator.restartIds(); // sampling depends on (seed, sequence id, position) only: resumed steps repeat exactly
        const batcher = new StreamBatcher((events) => deps.onEvent({ type: "rollouts", step, events }), 50);
        let result;
        try {
          result = await dapoStep(
            {
              runtime: deps.runtime,
              generator,
              tokenizer: deps.tokenizer,
              tools: deps.tools,
              optimizer: this.optimizer,
              format: deps.format,
              maxContextTokens: maxLength,
              onRolloutEvent: (e) => batcher.push(e),
              onProgress: (phase, done, total) => deps.onEvent({ type: "phase", step, phase, done, total }),
              signal: this.abort.signal,
            },
            taskOrder(spec.train, spec.seed, step),
            config,
            step,
            (spec.seed + Math.imul(step, 104729)) >>> 0,
          );
        } catch (error) {
          if (error instanceof RolloutAbortedError) break;
          throw error;
        } finally {
          batcher.close();
        }
        this.step = step;
        const created = new Date();
        const traces = result.groups.flatMap((g) =>
          g.rollouts.map((r, i) => toTrace(r, { model: deps.modelLabel, question: g.task.question, step, gold: g.task.answers, reward: g.rewards[i]!, created })),
        );
        this.metrics.push(result.metrics);
        this.traces.push(...traces);
        deps.onEvent({ type: "step", metrics: result.metrics });
        deps.onEvent({ type: "traces", step, traces });
        const last = step === spec.steps;
        const evaluated = this.evals.length;
        if (last || (spec.evalEvery > 0 && step % spec.evalEvery === 0)) await this.evaluateNow(generator, maxLength);
        await this.log({ v: 1, step, metrics: result.metrics, evals: this.evals.slice(evaluated), traces });
        if (last || step % spec.checkpointEvery === 0) await this.checkpoint();
      }
      const status: RunStatus = this.step >= spec.steps ? "finished" : "stopped";
      deps.onEvent({ type: "status", status });
      return status;
    } finally {
      generator.destroy();
    }
  }

  /** Frees the optimizer's buffers (the adapter stays with the runtime). */
  destroy(): void {
    this.optimizer.destroy();
  }

  /** The KV-cache length: the longest prompt plus the response and tool budgets, within the model's positions. */
  private contextLength(): number {
    const { config } = this.spec;
    const maxPositions = this.deps.runtime.model.config.maxPositions;
    let longest = 0;
    let which = "";
    for (const t of [...this.spec.train, ...this.spec.test.slice(0, this.spec.evalTasks)]) {
      const n = renderPrompt(this.deps.format, t.question, this.deps.tokenizer, config.maxTurns).ids.length;
      if (n > longest) [longest, which] = [n, t.question];
    }
    const wanted = longest + config.maxResponseTokens + config.maxTurns * (config.toolResponseTokens + 16);
    const length = Math.min(maxPositions, wanted, 8192);
    if (longest + 8 > length) {
      throw new RunSetupError(
        `the prompt of "${which.slice(0, 60)}" takes ${longest} tokens but the model holds ${length} in all: ` +
          "shorten the questions or the format's system prompt, or use a model with more positions",
      );
    }
    return length;
  }

  private async evaluateNow(generator: GpuGenerator, maxLength: number): Promise<void> {
    const { deps, spec } = this;
    if (spec.evalTasks <= 0 || spec.test.length === 0) return;
    const tasks = spec.test.slice(0, spec.evalTasks);
    for (const mode of spec.evalSamples ? (["greedy", "sampled"] as const) : (["greedy"] as const)) {
      const { eval: metrics } = await evaluate(
        {
          generator,
          tokenizer: deps.tokenizer,
          tools: deps.tools,
          format: deps.format,
          maxContextTokens: maxLength,
          onProgress: (done, total) => deps.onEvent({ type: "phase", step: this.step, phase: "eval", done, total }),
          signal: this.abort.signal,
        },
        tasks,
        { mode, step: this.step, seed: spec.seed, config: spec.config, ...(spec.evalSamples ? { samples: spec.evalSamples } : {}) },
      ).catch((error: unknown) => {
        if (error instanceof RolloutAbortedError) return { eval: undefined };
        throw error;
      });
      if (!metrics) return;
      this.evals.push(metrics);
      deps.onEvent({ type: "eval", eval: metrics });
    }
  }

  /** Saves one step's log (only that step's: the cost stays flat as the run grows). */
  private async log(entry: StepLog): Promise<void> {
    if (this.deps.dir) await writeStepLog(this.deps.dir, entry);
  }

  private async checkpoint(): Promise<void> {
    const { deps, spec } = this;
    if (!deps.dir) return;
    deps.onEvent({ type: "phase", step: this.step, phase: "checkpoint", done: 0, total: 1 });
    const trainables = deps.runtime.model.trainables;
    await saveCheckpoint(deps.dir, {
      state: {
        v: 1,
        runId: spec.runId,
        model: deps.modelLabel,
        step: this.step,
        optimizerSteps: this.optimizer.steps,
        seed: spec.seed,
        config: spec.config,
        lora: spec.lora,
        ...(deps.modelIdentity ? { modelIdentity: deps.modelIdentity } : {}),
        saved: new Date().toISOString(),
      },
      trainable: await readTrainableState(deps.runtime.device, trainables),
      shapes: new Map(trainables.map((t) => [t.name, t.shape])),
    });
    deps.onEvent({ type: "phase", step: this.step, phase: "checkpoint", done: 1, total: 1 });
    deps.onEvent({ type: "checkpoint", step: this.step, runId: spec.runId });
  }

  /** Loads the last whole checkpoint into the adapter, the optimizer and the logs. */
  private async restore(): Promise<void> {
    if (!this.deps.dir) return;
    const { checkpoint, skipped } = await loadLatestCheckpoint(this.deps.dir);
    for (const reason of skipped) this.deps.onEvent({ type: "status", status: "running", message: `passed over a checkpoint: ${reason}` });
    if (!checkpoint) return;
    if (checkpoint.state.seed !== this.spec.seed) {
      throw new RunSetupError(`the checkpoint was trained with seed ${checkpoint.state.seed}, not ${this.spec.seed}: resume with the same seed or start a new run`);
    }
    const savedModel = checkpoint.state.modelIdentity;
    const difference = savedModel && this.deps.modelIdentity ? identityDifference(savedModel, this.deps.modelIdentity) : undefined;
    if (difference) throw new RunSetupError(`${difference}: resume with the model and quantization the run was trained on, or start a new run`);
    const [saved, ours] = [checkpoint.state.lora, this.spec.lora];
    if (saved && !sameLoraSettings(saved, ours)) {
      throw new RunSetupError(
        `the checkpoint's adapter has r ${saved.r}, alpha ${saved.alpha} on ${saved.targets.join(", ")}, but the run asks for r ${ours.r}, alpha ${ours.alpha} on ${ours.targets.join(", ")}: start a new run to change them`,
      );
    }
    const history = await historyAt(this.deps.dir, checkpoint);
    for (const problem of history.problems) this.deps.onEvent({ type: "status", status: "running", message: problem });
    // A checkpoint from before the per-step log holds the history itself: write it out as step files once.
    if (checkpoint.legacyHistory) await writeRunLog(this.deps.dir, checkpoint.legacyHistory, checkpoint.state.step);
    writeTrainableState(this.deps.runtime.device, this.deps.runtime.model.trainables, checkpoint.trainable);
    this.optimizer.steps = checkpoint.state.optimizerSteps;
    this.step = checkpoint.state.step;
    this.metrics.push(...history.metrics);
    this.evals.push(...history.evals);
    this.traces.push(...history.traces);
  }
}
