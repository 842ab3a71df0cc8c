// The engine side of `tapo train` and `tapo eval` (DESIGN.md): loads the model
// frozen, gives it a LoRA adapter (fresh, or a PEFT adapter for eval), runs
// DAPO or an evaluation with both tools, and emits JSON records. With --out the
// run lives in that folder (checkpoints/, run.json) through the file server, so
// running the same command again resumes from the last whole checkpoint; at
// the end adapter/ (PEFT), traces.jsonl and metrics.jsonl are written there.
import { modelIdentity } from "../../loader/model_identity";
import { GpuGenerator } from "../../generate/generator";
import type { FileSet } from "../../io/source";
import { loadModel, readModelConfig } from "../../loader/load_model";
import { loadTokenizer } from "../../loader/load_tokenizer";
import { type ModelHints, MODEL_HINTS_FILE, readModelHints } from "../../rollout/model_hints";
import { withLora } from "../../model/gpu_model";
import { loadPeftAdapter } from "../../model/peft";
import { ModelRuntime } from "../../model/runtime";
import { readTrainableState } from "../../model/trainable_state";
import type { WeightFormat } from "../../protocol/tensors";
import { adapterFiles } from "../../rl/checkpoint";
import { resolveDapoConfig } from "../../rl/config";
import { evaluate } from "../../rl/evaluate";
import { toTrace } from "../../traces/from_rollout";
import { HttpDir } from "../../storage/http_dir";
import { utf8 } from "../../storage/dir";
import { jsonlText } from "../../util/jsonl_text";
import { PythonTool } from "../../tools/python/python_tool";
import { PythonToolRunner } from "../../tools/python_runner";
import { createSearchBackend, parseBackendSpec } from "../../tools/search/backends";
import { loadBundledIndex, loadBundledIndexFromDisk } from "../../tools/search/corpus_loader";
import { SearchTool } from "../../tools/search/search_tool";
import { SearchToolRunner } from "../../tools/search/search_runner";
import type { EvalMetrics, RunRequest, TaskSource, TrainRequest } from "../../protocol/run";
import { formatOf, prepareRun, readSavedRun, requestDifferences, tasksOf, withHints, withTaskLevel } from "../../trainer/run_setup";
import { noSignalNotifier } from "../../rl/no_signal";
import type { Emit } from "../../protocol/emit";
import { progressReporter } from "./progress";

const jsonl = (rows: unknown[]) => utf8(jsonlText(rows));

/** Both tools as a rollout runs them: Python in a Pyodide worker (browser host only) and search (`topK` hits a query: the model's hint, else the tool's default). */
async function toolsFor(backend: string, topK: number | undefined): Promise<{ runner: SearchToolRunner; dispose(): void }> {
  const spec = parseBackendSpec(backend);
  const inBrowser = typeof window !== "undefined";
  const index = spec.kind === "local" ? await (inBrowser ? loadBundledIndex() : loadBundledIndexFromDisk()) : undefined;
  const python = typeof Worker !== "undefined" ? new PythonTool() : undefined;
  const search = new SearchTool(createSearchBackend(spec, index), topK === undefined ? {} : { topK });
  return { runner: new SearchToolRunner(search, python ? new PythonToolRunner(python) : undefined), dispose: () => python?.dispose() };
}

/** The model loaded frozen (quantized as asked) with its tokenizer. */
export async function loadFrozen(device: GPUDevice, files: FileSet, quant: WeightFormat) {
  const tokenizer = await loadTokenizer(files);
  const { runtime, config } = await loadModel(device, files, { quant, mode: { kind: "frozen" } });
  return { tokenizer, runtime, config };
}

/** DESIGN.md's eval record, with the base weights' format ("f32", "q8_0", "q4_0") the numbers were measured on. */
function evalRecord(e: EvalMetrics, quant: WeightFormat): Record<string, unknown> {
  return { event: "eval", ...e, quant };
}

/** A note when fewer held-out tasks exist than asked for (the evaluation then takes them all). */
function heldOutNote(flag: string, asked: number, held: number): string | undefined {
  return asked > held ? `${flag} ${asked} asks for more tasks than the held-out split has (${held}): evaluating all ${held}` : undefined;
}

/** Says which level `--task builtin` took from the model's tapo.json, and how to ask for the other. */
function levelNote(tasks: TaskSource, hints: ModelHints, emit: Emit): void {
  const hinted = withTaskLevel(tasks, hints);
  if (hinted === tasks || hinted.kind !== "builtin") return;
  const other = hinted.level === "tiny" ? "full" : "tiny";
  emit({ event: "note", message: `built-in tasks at the ${hinted.level} level, as the model's ${MODEL_HINTS_FILE} asks; --task ${other} gives the ${other} level` });
}

/** `out` is the folder's URL on the file server; `outPath` the path the user gave (echoed in the done record). */
/** `adapter`: a PEFT adapter to start from (e.g. `tapo sft`'s), instead of a fresh one. */
/** `evalNGiven`: --eval-n was on the command line (only then is a held-out split smaller than it noted). */
export type TrainCommand = { model: FileSet; modelLabel: string; quant: WeightFormat; request: TrainRequest; adapter?: FileSet; out?: string; outPath?: string; evalNGiven?: boolean };

export async function runTrain(device: GPUDevice, cmd: TrainCommand, emit: Emit): Promise<void> {
  const dir = cmd.out ? new HttpDir(cmd.out) : undefined;
  const saved = dir ? await readSavedRun(dir) : undefined;
  // Check the settings before the slow model load: a bad config fails in a second.
  resolveDapoConfig(saved?.request.config ?? cmd.request.config);
  const initialLora = cmd.adapter ? await loadPeftAdapter(cmd.adapter, (await readModelConfig(cmd.model)).config) : undefined;
  const { tokenizer, runtime } = await loadFrozen(device, cmd.model, cmd.quant);
  const hints = await readModelHints(cmd.model);
  // A folder with a saved run resumes it: its own request (tasks, settings, LoRA, search backend) goes on.
  const request: RunRequest = saved ? { resume: saved.runId, steps: cmd.request.steps } : withHints(cmd.request, hints);
  const ignored = saved ? requestDifferences(saved.request, { ...withHints(cmd.request, hints), lora: cmd.request.lora ?? saved.request.lora }) : [];
  if (saved && (ignored.length > 0 || cmd.adapter)) {
    const adapter = cmd.adapter ? ["--adapter (the run goes on from its own checkpoint)"] : [];
    emit({ event: "note", message: `--out holds run ${saved.runId}, which resumes with its saved settings; these flags differ from them and are ignored: ${[...ignored, ...adapter].join("; ")}` });
  }
  if (!saved) levelNote(cmd.request.tasks, hints, emit);
  const tools = await toolsFor((saved?.request ?? cmd.request).searchBackend ?? "local", hints.searchTopK);
  const progress = progressReporter(emit);
  const noSignal = noSignalNotifier();
  const prepared = await prepareRun(
    {
      device,
      frozen: runtime,
      tokenizer,
      tools: tools.runner,
      modelLabel: cmd.modelLabel,
      modelIdentity: await modelIdentity(cmd.model, cmd.quant),
      ...(dir ? { dir } : {}),
      runId: saved?.runId ?? `cli-${Date.now().toString(36)}`,
      ...(initialLora ? { initialLora } : {}),
      onEvent: (e) => {
        if (e.type === "run-started" && e.startStep > 0) emit({ event: "resume", run: e.runId, step: e.startStep });
        else if (e.type === "step") {
          emit({ event: "step", ...e.metrics });
          const warning = noSignal(e.metrics);
          if (warning) emit({ event: "note", message: warning });
        }
        else if (e.type === "eval") emit(evalRecord(e.eval, cmd.quant));
        else if (e.type === "checkpoint") emit({ event: "checkpoint", step: e.step });
        else if (e.type === "phase" && e.total > 1) progress(e.phase, e.step, e.done, e.total);
        else if (e.type === "status" && e.message) emit({ event: "note", message: e.message });
      },
    },
    request,
  );
  const { evalTasks, test } = prepared.run.spec;
  const fewer = cmd.evalNGiven ? heldOutNote("--eval-n", evalTasks, test.length) : undefined;
  if (fewer) emit({ event: "note", message: fewer });
  try {
    const status = await prepared.run.run();
    await prepared.record(status);
    if (dir) {
      const trainables = prepared.runtime.model.trainables;
      const state = { trainable: await readTrainableState(device, trainables), shapes: new Map(trainables.map((t) => [t.name, t.shape])) };
      for (const [name, bytes] of Object.entries(adapterFiles(state, prepared.lora, cmd.modelLabel))) await dir.write(`adapter/${name}`, bytes);
      await dir.write("traces.jsonl", jsonl(prepared.run.traces));
      await dir.write("metrics.jsonl", jsonl(prepared.run.metrics));
      await dir.write("evals.jsonl", jsonl(prepared.run.evals));
    }
    emit({ event: "done", out: cmd.outPath ?? null, status, steps: prepared.run.step, quant: cmd.quant });
  } finally {
    prepared.dispose(true);
    tools.dispose();
    runtime.destroy();
  }
}

export type EvalCommand = {
  model: FileSet;
  modelLabel: string;
  adapter?: FileSet;
  quant: WeightFormat;
  tasks: TaskSource;
  n: number;
  seed: number;
  mode: "greedy" | "sampled";
  config: TrainRequest["config"];
  searchBackend?: string;
  format?: TrainRequest["format"];
  out?: string;
};

export async function runEval(device: GPUDevice, cmd: EvalCommand, emit: Emit): Promise<void> {
  const hints = await readModelHints(cmd.model);
  const hinted = withHints({ config: cmd.config, tasks: cmd.tasks } as TrainRequest, hints);
  const config = resolveDapoConfig(hinted.config);
  levelNote(cmd.tasks, hints, emit);
  const { test } = tasksOf(hinted.tasks);
  if (test.length === 0) throw new Error("the task set has no test split to evaluate on");
  const fewer = heldOutNote("--n", cmd.n, test.length);
  if (fewer) emit({ event: "note", message: fewer });
  const tasks = test.slice(0, cmd.n);
  const { config: model } = await readModelConfig(cmd.model);
  const lora = cmd.adapter ? await loadPeftAdapter(cmd.adapter, model) : undefined;
  const { tokenizer, runtime: frozen } = await loadFrozen(device, cmd.model, cmd.quant);
  const runtime = lora ? ModelRuntime.fromGpuModel(device, withLora(device, frozen.model, lora)) : frozen;
  const tools = await toolsFor(cmd.searchBackend ?? "local", hints.searchTopK);
  const format = formatOf(cmd.format ?? hints.format);
  const maxLength = Math.min(model.maxPositions, 8192);
  const generator = GpuGenerator.fromRuntime(runtime, { maxSequences: Math.min(64, tasks.length), maxLength });
  try {
    const progress = progressReporter(emit);
    const onProgress = (done: number, total: number) => progress("eval", 0, done, total);
    const result = await evaluate({ generator, tokenizer, tools: tools.runner, format, maxContextTokens: maxLength, onProgress }, tasks, {
      mode: cmd.mode,
      step: 0,
      seed: cmd.seed,
      config,
    });
    emit(evalRecord(result.eval, cmd.quant));
    if (cmd.out) {
      const dir = new HttpDir(cmd.out);
      const created = new Date();
      const traces = result.rollouts.map((r, i) =>
        toTrace(r, { model: cmd.modelLabel, question: tasks[i]!.question, gold: tasks[i]!.answers, reward: result.rewards[i]!, created }),
      );
      await dir.write("traces.jsonl", jsonl(traces));
      await dir.write("metrics.jsonl", jsonl([result.eval]));
    }
  } finally {
    generator.destroy();
    tools.dispose();
    runtime.destroy();
  }
}
