// Turns a TrainRequest into a ready TrainingRun, for the trainer worker and
// for `tapo train` alike: resolves the tasks (built-in splits, or imported
// ones) and the DAPO config (refusing bad values with every reason), gives the
// loaded frozen model a fresh LoRA adapter over the same GPU weights, and
// picks the run's folder. Resuming reads the request saved with the run, so a
// resumed run trains on the same tasks with the same settings.
import type { ModelIdentity } from "../loader/model_identity";
import type { ModelHints } from "../rollout/model_hints";
import { formatOf, tasksOf } from "./request_tasks";

export { formatOf, tasksOf };
import { initLora, type LoraWeights } from "../model/lora";
import { type LoraSettings, resolveLoraSettings, sameLoraSettings } from "../protocol/lora";
import { destroyTrainables, withLora } from "../model/gpu_model";
import { ModelRuntime } from "../model/runtime";
import { resolveDapoConfig } from "../rl/config";
import { type DapoConfig } from "../protocol/dapo_config";
import { RunSetupError, TrainingRun } from "../rl/run";
import { fromUtf8, type StorageDir, utf8 } from "../storage/dir";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolRunner } from "../protocol/tools";
import { isResumeRequest, type RunEventSink, type RunRequest, type RunStatus, type RunSummary, type TaskSource, type TrainRequest } from "../protocol/run";

/** What run.json holds: the request (tasks included) and where the run stands. */
export type SavedRun = RunSummary & { v: 1; request: TrainRequest };

const RUN_FILE = "run.json";

/** The request with the model's hints where it says nothing: its format, its tool-call limit (the prompt it learned) and its task level. */
export function withHints(request: TrainRequest, hints: ModelHints): TrainRequest {
  const format = request.format === undefined && hints.format ? { format: hints.format } : {};
  const config = request.config.maxTurns === undefined && hints.maxTurns !== undefined ? { config: { ...request.config, maxTurns: hints.maxTurns } } : {};
  return { ...request, ...format, ...config, tasks: withTaskLevel(request.tasks, hints) };
}

/**
 * Built-in tasks that name neither a level nor categories take the model's level (`taskLevel` in tapo.json): the
 * bundled tiny model fails every full-level question, and a run on them learns nothing. A level or categories the
 * request names are kept.
 */
export function withTaskLevel(tasks: TaskSource, hints: ModelHints): TaskSource {
  if (tasks.kind !== "builtin" || tasks.level !== undefined || tasks.counts !== undefined || hints.taskLevel === undefined) return tasks;
  return { ...tasks, level: hints.taskLevel };
}

/**
 * The request a run trains: a new run's own, or for a resume the saved run's (only its step count
 * may grow). Read before the tools are chosen, since a resumed run keeps its search backend.
 */
export async function runRequestOf(dir: StorageDir | undefined, request: RunRequest): Promise<{ request: TrainRequest; saved?: SavedRun }> {
  if (!isResumeRequest(request)) return { request };
  const saved = dir ? await readSavedRun(dir) : undefined;
  if (!saved) throw new RunSetupError(`there is no saved run "${request.resume}" to resume: start a new run`);
  return { request: { ...saved.request, steps: Math.max(saved.request.steps, request.steps) }, saved };
}

const RESUME_FIELDS = ["tasks", "config", "seed", "evalEvery", "evalTasks", "evalSamples", "checkpointEvery", "lora", "format", "searchBackend"] as const;

/**
 * The settings of `given` that differ from the saved run's (a resume keeps the saved ones), as
 * "seed (given 2, saved 1)"; the step count is left out, since a resume may extend it.
 */
export function requestDifferences(saved: TrainRequest, given: TrainRequest): string[] {
  const show = (v: unknown) => {
    const text = v === undefined ? "none" : JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };
  const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  return RESUME_FIELDS.filter((k) => canonical(given[k]) !== canonical(saved[k])).map((k) => `${k} (given ${show(given[k])}, saved ${show(saved[k])})`);
}

/**
 * The run's LoRA settings: a resumed run's saved ones (an older run.json without targets gets the
 * default targets), the starting adapter's (which a request may not contradict), or the request's.
 */
function loraOf(request: TrainRequest, saved: SavedRun | undefined, initial: LoraWeights | undefined): LoraSettings {
  if (saved || !initial) {
    try {
      return resolveLoraSettings(request.lora);
    } catch (error) {
      throw new RunSetupError(error instanceof Error ? error.message : String(error));
    }
  }
  const from = initial.config;
  const asked = request.lora;
  if (asked && !sameLoraSettings(asked, from)) {
    throw new RunSetupError(
      `the run starts from an adapter with r ${from.r}, alpha ${from.alpha} on ${from.targets.join(", ")}, and goes on with those: leave the LoRA settings out, or start without the adapter`,
    );
  }
  return { ...from, targets: [...from.targets] };
}

export async function readSavedRun(dir: StorageDir): Promise<SavedRun | undefined> {
  const bytes = await dir.read(RUN_FILE);
  if (!bytes) return undefined;
  const run = JSON.parse(fromUtf8(bytes)) as SavedRun;
  if (run.v !== 1) throw new Error(`run.json has version ${String(run.v)}, which this TAPO Studio does not know`);
  return run;
}

export async function writeSavedRun(dir: StorageDir, run: SavedRun): Promise<void> {
  await dir.write(RUN_FILE, utf8(JSON.stringify(run)));
}

export type RunSetup = {
  device: GPUDevice;
  /** The loaded model, frozen; its weights are shared, not copied. */
  frozen: ModelRuntime;
  tokenizer: QwenTokenizer;
  tools: ToolRunner;
  modelLabel: string;
  /** The run's folder (a new run's is written; a resumed run's is read). */
  dir?: StorageDir;
  runId: string;
  onEvent: RunEventSink;
  /** The base model's identity (recorded in checkpoints; a resume on another model is refused). */
  modelIdentity?: ModelIdentity;
  /** Start from this adapter (e.g. an SFT cold start) instead of a fresh one; its rank and alpha replace the request's. */
  initialLora?: LoraWeights;
};

export type PreparedRun = {
  run: TrainingRun;
  /** The LoRA runtime being trained (the Playground can answer with it afterwards). */
  runtime: ModelRuntime;
  /** The adapter's settings, as run.json and every checkpoint record them (what an export writes). */
  lora: LoraSettings;
  saved: SavedRun;
  /** Records the run's status in run.json (its step follows the checkpoints). */
  record(status: RunStatus): Promise<void>;
  /** Frees the optimizer; with `adapter`, the LoRA buffers too. */
  dispose(adapter: boolean): void;
};

/** Builds the run; throws DapoConfigError / RunSetupError with every reason before anything is trained. */
export async function prepareRun(setup: RunSetup, request: RunRequest): Promise<PreparedRun> {
  const { request: asked, saved } = await runRequestOf(setup.dir, request);
  const config: DapoConfig = resolveDapoConfig(asked.config);
  const { train, test } = tasksOf(asked.tasks);
  const initial = saved ? undefined : setup.initialLora;
  const lora = loraOf(asked, saved, initial);
  // run.json keeps the settings the adapter was made with, so a resume and the export use the same ones.
  const req: TrainRequest = { ...asked, lora };
  const model = setup.frozen.model;
  const start = initial ?? initLora(model.config, lora, req.seed);
  const runtime = ModelRuntime.fromGpuModel(setup.device, withLora(setup.device, model, start));
  const created = saved?.created ?? new Date().toISOString();
  const record: SavedRun = saved ?? {
    v: 1,
    runId: setup.runId,
    model: setup.modelLabel,
    created,
    step: 0,
    steps: req.steps,
    status: "running",
    request: req,
  };
  // A resume may extend the steps: the saved request says so too, so the next resume keeps the new count.
  record.steps = req.steps;
  record.request = req;
  const format = formatOf(req.format);
  // run.json writes go one after another, so an older state never lands after a newer one.
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const dir = setup.dir;
    if (!dir) return Promise.resolve();
    const snapshot = { ...record };
    const next = saving.then(() => writeSavedRun(dir, snapshot));
    saving = next.catch(() => undefined);
    return next;
  };
  let run: TrainingRun;
  try {
    run = new TrainingRun(
      {
        runtime,
        tokenizer: setup.tokenizer,
        tools: setup.tools,
        format,
        modelLabel: setup.modelLabel,
        ...(setup.modelIdentity ? { modelIdentity: setup.modelIdentity } : {}),
        ...(setup.dir ? { dir: setup.dir } : {}),
        onEvent: (e) => {
          if (e.type === "checkpoint") {
            record.step = e.step;
            save().catch((error: unknown) =>
              setup.onEvent({ type: "status", status: "running", message: `could not update run.json: ${error instanceof Error ? error.message : String(error)}` }),
            );
          }
          setup.onEvent(e);
        },
      },
      {
        runId: record.runId,
        train,
        test,
        config,
        lora,
        steps: req.steps,
        seed: req.seed,
        evalEvery: req.evalEvery,
        evalTasks: req.evalTasks,
        ...(req.evalSamples ? { evalSamples: req.evalSamples } : {}),
        checkpointEvery: req.checkpointEvery,
        resume: saved !== undefined,
        request: req,
      },
    );
  } catch (error) {
    destroyTrainables(runtime.model);
    throw error;
  }
  record.status = "running";
  await save();
  return {
    run,
    runtime,
    lora,
    saved: record,
    record: async (status) => {
      record.status = status;
      await save();
    },
    dispose: (adapter) => {
      run.destroy();
      if (adapter) {
        runtime.destroy();
        destroyTrainables(runtime.model);
      }
    },
  };
}
