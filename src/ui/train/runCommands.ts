// The Train page's calls into the trainer worker: start, pause, resume and stop
// a run, resume a saved one, and list saved runs. Run events from the worker are
// queued and folded into the store in one update per ~frame, and each step's
// traces also go to the Traces page's store.
import { proxy } from "comlink";
import type { RunEvent, RunHistory, RunLabel, RunRequest, RunSummary, TrainRequest } from "../../protocol/run";
import { whenRunLockFree } from "../../trainer/run_lock";
import { currentSearchBackend, currentTaskSource } from "../data/dataStore";
import { addTraces, useTracesStore } from "../traces/tracesStore";
import { trainer } from "../trainerWorker";
import { jsonlText } from "../../util/jsonl_text";
import { adapterFolderName, adapterZip, configJson, download, folderPicker, metricsCsv, saveAdapterToFolder } from "./runFiles";
import { isActive } from "./runState";
import { readForm } from "./trainForm";
import { keepComparedOf } from "./chartViewStore";
import type { Engine } from "../../recipe/settings_map";
import { resolveDapoConfig } from "../../rl/config";
import { applyRunEvents, clearShownRun, markPending, markStarting, setSavedRuns, setTrainError, settleRun, showHistory, useTrainStore } from "./trainStore";

/** Least time between two store updates from run events (the worker sends at most 20 rollout batches a second). */
const FLUSH_MS = 40;

let queue: RunEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/** Applies every queued event in one store update, then hands the traces among them to the Traces page. */
export function flushRunEvents(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  applyRunEvents(batch);
  const runId = useTrainStore.getState().run.runId;
  if (runId === undefined) return;
  for (const e of batch) if (e.type === "traces" && e.traces.length > 0) addTraces(runId, e.traces);
}

/** Receives one event from the worker; the store sees it at the next flush. */
export function enqueueRunEvent(event: RunEvent): void {
  queue.push(event);
  timer ??= setTimeout(flushRunEvents, FLUSH_MS);
}

/**
 * Shows saved run `summary` (charts, evaluations, last step's rollouts) and hands its traces to the Traces
 * page, if `stillWanted()` once its history has arrived; throws when the history cannot be read.
 */
async function showSavedRun(summary: RunSummary, stillWanted: () => boolean): Promise<void> {
  const history = await trainer()!.runHistory(summary.runId);
  if (!stillWanted()) return;
  showHistory(summary, history);
  seedTraces(summary.runId, history.traces);
}

/** Gives the Traces page a saved run's traces, unless it has that run already. */
function seedTraces(runId: string, traces: RunHistory["traces"]): void {
  if (traces.length > 0 && useTracesStore.getState().runs[runId] === undefined) addTraces(runId, traces);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `request` in the worker until it ends, keeping the store's status in step. */
async function runInWorker(request: RunRequest): Promise<void> {
  const remote = trainer();
  if (!remote) {
    setTrainError("The trainer worker is not running: reload the page.");
    return;
  }
  markStarting();
  try {
    const summary = await remote.train(request, proxy(enqueueRunEvent));
    flushRunEvents();
    settleRun(summary);
  } catch (error) {
    flushRunEvents();
    settleRun(undefined, messageOf(error));
  }
  await loadSavedRuns();
}

/** The form's run settings with the Data page's tasks, or undefined (and the problems shown) when the form has errors. */
function requestFromForm(): TrainRequest | undefined {
  const reading = readForm(useTrainStore.getState().form);
  if (!reading.settings) {
    setTrainError(`Fix the settings first: ${reading.problems.join("; ")}`);
    return undefined;
  }
  return { ...reading.settings, tasks: currentTaskSource(), searchBackend: currentSearchBackend() };
}

/** Starts a new run with the form's settings on the Data page's tasks; resolves when the run ends. */
export async function startTraining(): Promise<void> {
  if (isActive(useTrainStore.getState().run.status)) return;
  const request = requestFromForm();
  if (request) await runInWorker(request);
}

/**
 * Resumes saved run `runId` from its last checkpoint and trains it up to step `steps` (at least its
 * own step count); resolves when it ends. The run keeps the tasks and settings it was started with,
 * so the form below (which a reload resets) plays no part.
 */
export async function resumeSavedRun(runId: string, steps: number): Promise<void> {
  if (isActive(useTrainStore.getState().run.status)) return;
  const remote = trainer();
  const summary = useTrainStore.getState().savedRuns.find((r) => r.runId === runId);
  if (!summary) {
    setTrainError(`There is no saved run ${runId} in this browser any more: start a new run.`);
    return;
  }
  // The charts continue the saved run's: load what it logged before it goes on.
  if (remote && useTrainStore.getState().run.runId !== runId) {
    try {
      await showSavedRun(summary, () => true);
    } catch (error) {
      setTrainError(`Could not read run ${runId}: ${messageOf(error)}`);
      return;
    }
  }
  // The worker reads everything else from the saved run's own request.
  await runInWorker({ resume: runId, steps: Math.max(steps, summary.steps) });
}

/** Shows saved run `runId` (charts, evaluations, last step's rollouts, traces), unless a run is under way here. */
export async function viewSavedRun(runId: string): Promise<void> {
  const remote = trainer();
  const summary = useTrainStore.getState().savedRuns.find((r) => r.runId === runId);
  const idle = () => !isActive(useTrainStore.getState().run.status);
  if (!remote || !summary || !idle()) return;
  try {
    await showSavedRun(summary, idle);
  } catch (error) {
    setTrainError(`Could not read run ${runId}: ${messageOf(error)}`);
  }
}

/** Names and annotates saved run `runId`; the runs are listed again. Resolves with the problem, if any. */
export async function labelSavedRun(runId: string, label: RunLabel): Promise<string | undefined> {
  const remote = trainer();
  if (!remote) return "The trainer worker is not running: reload the page.";
  try {
    await remote.labelRun(runId, label);
  } catch (error) {
    return messageOf(error);
  }
  await loadSavedRuns();
  return undefined;
}

/** Deletes saved run `runId` from this browser after the user confirms; the runs are listed again. */
export async function deleteSavedRun(runId: string, confirm: (question: string) => boolean = (q) => window.confirm(q)): Promise<void> {
  const remote = trainer();
  if (!remote || !confirm(`Delete run ${runId} from this browser? Its checkpoints, adapter and traces are removed; this cannot be undone.`)) return;
  try {
    await remote.deleteRun(runId);
    if (useTrainStore.getState().run.runId === runId && !isActive(useTrainStore.getState().run.status)) clearShownRun();
  } catch (error) {
    setTrainError(`Could not delete run ${runId}: ${messageOf(error)}`);
  }
  await loadSavedRuns();
}

/** What the export bar can save for run `runId`. */
export type RunFile = "adapter-zip" | "adapter-folder" | "traces" | "metrics" | "evals" | "metrics-csv" | "config";

/** Saves one of run `runId`'s files outside the browser (a download, or a folder the user picks); problems show as the page's error. */
export async function saveRunFile(runId: string, file: RunFile): Promise<void> {
  const remote = trainer();
  if (!remote) return;
  try {
    if (file === "adapter-zip" || file === "adapter-folder" || file === "config") {
      const exported = await remote.exportRun(runId);
      const picker = folderPicker();
      if (file === "config") download(`${runId}-config.json`, configJson(exported), "application/json");
      else if (file === "adapter-folder" && picker) await saveAdapterToFolder(exported, picker);
      else download(`${adapterFolderName(exported)}.zip`, adapterZip(exported), "application/zip");
      return;
    }
    const history = await remote.runHistory(runId);
    if (file === "traces") download(`${runId}-traces.jsonl`, jsonlText(history.traces), "application/jsonl");
    else if (file === "metrics") download(`${runId}-metrics.jsonl`, jsonlText(history.metrics), "application/jsonl");
    else if (file === "evals") download(`${runId}-evals.jsonl`, jsonlText(history.evals), "application/jsonl");
    else download(`${runId}-metrics.csv`, metricsCsv(history.metrics), "text/csv");
  } catch (error) {
    // The user closing the folder picker is no error.
    if (error instanceof DOMException && error.name === "AbortError") return;
    setTrainError(`Could not save ${file} of run ${runId}: ${messageOf(error)}`);
  }
}

/**
 * Saves saved run `runId`'s experiment as a verl or TRL recipe (.zip); resolves with the recipe's notes (settings
 * without a counterpart, what changed for the cluster), or undefined when it could not be made (the page's error says why).
 */
export async function saveRecipe(runId: string, engine: Engine): Promise<string[] | undefined> {
  const remote = trainer();
  const summary = useTrainStore.getState().savedRuns.find((r) => r.runId === runId);
  if (!remote || !summary) return undefined;
  try {
    // Loaded when asked for: the recipe's Parquet writer and Python sources stay out of the page's first load.
    const { bundledCorpusText, recipeZip, runExperiment } = await import("./recipeExport");
    const [exported, corpus] = await Promise.all([remote.exportRun(runId), bundledCorpusText()]);
    const recipe = recipeZip(runExperiment(exported), summary.model, engine, corpus);
    download(recipe.name, recipe.zip, "application/zip");
    return recipe.notes;
  } catch (error) {
    setTrainError(`Could not write the ${engine} recipe of run ${runId}: ${messageOf(error)}`);
    return undefined;
  }
}

/**
 * Saves the form's settings, on the Data page's tasks and the loaded model, as a verl or TRL recipe (.zip) before
 * any run; resolves with the recipe's notes, or undefined when the form has problems or the recipe cannot be made.
 */
export async function saveSettingsRecipe(engine: Engine, model: string | undefined): Promise<string[] | undefined> {
  const request = requestFromForm();
  if (!request) return undefined;
  try {
    const { bundledCorpusText, recipeZip } = await import("./recipeExport");
    const recipe = recipeZip({ id: "settings", request, config: resolveDapoConfig(request.config) }, model, engine, await bundledCorpusText());
    download(recipe.name, recipe.zip, "application/zip");
    return recipe.notes;
  } catch (error) {
    setTrainError(`Could not write the ${engine} recipe of these settings: ${messageOf(error)}`);
    return undefined;
  }
}

/** Pauses the run after the step in progress. */
export function pauseTraining(): void {
  markPending("pause");
  trainer()?.pauseTraining().catch((error: unknown) => setTrainError(messageOf(error)));
}

/** Resumes a paused run. */
export function resumeTraining(): void {
  trainer()?.resumeTraining().catch((error: unknown) => setTrainError(messageOf(error)));
}

/** Stops the run after the step in progress (a checkpoint is saved). */
export function stopTraining(): void {
  markPending("stop");
  trainer()?.stopTraining().catch((error: unknown) => setTrainError(messageOf(error)));
}

let watching: AbortController | undefined;

/** Lists the saved runs again as soon as a run that another tab trains is free (that tab stopped it or closed). */
function watchOtherTabs(runs: readonly RunSummary[]): void {
  watching?.abort();
  watching = undefined;
  const elsewhere = runs.filter((r) => r.elsewhere);
  if (elsewhere.length === 0) return;
  const controller = new AbortController();
  watching = controller;
  for (const r of elsewhere) {
    void whenRunLockFree(r.runId, controller.signal).then(() => {
      if (!controller.signal.aborted) void loadSavedRuns();
    });
  }
}

/**
 * Lists the runs saved in this browser; when no run is under way or shown, shows the newest one
 * (charts, evaluations, last step's rollouts) and hands its traces to the Traces page. A run that
 * another tab trains is shown read-only, and listed again once that tab lets it go.
 */
export async function loadSavedRuns(): Promise<void> {
  const remote = trainer();
  if (!remote) return;
  try {
    const runs = await remote.listRuns();
    setSavedRuns(runs);
    keepComparedOf(runs);
    watchOtherTabs(runs);
    const latest = runs[0];
    const showing = () => ["idle", "elsewhere"].includes(useTrainStore.getState().run.status);
    if (!latest || !showing()) return;
    await showSavedRun(latest, showing);
  } catch (error) {
    setTrainError(`Could not read the saved runs: ${messageOf(error)}`);
  }
}
