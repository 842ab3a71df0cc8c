// Training runs inside the trainer worker: starts a run on the loaded model,
// saves it in the browser's private file system (OPFS, folder tapo-runs/<id>)
// so a reloaded tab lists it and resumes it from its last checkpoint, and
// relays pause, resume and stop. One run at a time in a tab, and one tab per
// run: training holds the run's Web Lock (run_lock.ts), so a second tab sees
// that run as read-only.
import type { ModelIdentity } from "../loader/model_identity";
import type { TrainingRun } from "../rl/run";
import { adapterFiles, loadLatestCheckpoint } from "../rl/checkpoint";
import { resolveDapoConfig } from "../rl/config";
import { historyAt } from "../rl/run_log";
import type { ModelRuntime } from "../model/runtime";
import { fromUtf8, MemoryDir, type StorageDir, subDir, utf8 } from "../storage/dir";
import { OpfsDir } from "../storage/opfs_dir";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolRunner } from "../protocol/tools";
import { isResumeRequest, RUN_LABEL_LIMITS, type RunEventSink, type RunExport, type RunHistory, type RunLabel, type RunRequest, type RunSummary, type TrainRequest } from "../protocol/run";
import { lockedRuns, tryHoldRunLock } from "./run_lock";
import { prepareRun, readSavedRun, runRequestOf, type PreparedRun } from "./run_setup";

/** What a run needs from the worker's loaded model. */
export type LoadedForTraining = { device: GPUDevice; runtime: ModelRuntime; tokenizer: QwenTokenizer; modelLabel: string; modelIdentity?: ModelIdentity };

const ROOT = "tapo-runs";
const LABEL_FILE = "label.json";

/** A run's name and note from label.json, leaving out empty or unreadable ones. */
async function readRunLabel(dir: StorageDir): Promise<{ name?: string; note?: string }> {
  const bytes = await dir.read(LABEL_FILE).catch(() => undefined);
  if (!bytes) return {};
  try {
    const { name, note } = JSON.parse(fromUtf8(bytes)) as Partial<RunLabel>;
    return { ...(typeof name === "string" && name ? { name } : {}), ...(typeof note === "string" && note ? { note } : {}) };
  } catch {
    return {};
  }
}

/** A fresh run id: sortable by time, unique enough for one browser. */
export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${Math.random().toString(36).slice(2, 6)}`;
}

export class RunManager {
  private root: Promise<StorageDir> | undefined;
  private active: { prepared: PreparedRun; run: TrainingRun } | undefined;
  /** The run this tab trains or is starting, whose lock it holds. */
  private holding: string | undefined;
  /** The adapter of the last run, kept for the Playground until the next run or model. */
  private tuned: PreparedRun | undefined;

  /** The runs folder: OPFS, or memory where OPFS is missing (runs then last as long as the tab). */
  private folder(): Promise<StorageDir> {
    this.root ??= OpfsDir.open(ROOT).catch(() => new MemoryDir());
    return this.root;
  }

  /**
   * Runs the request to its end on `loaded`, with the tools `toolsFor` gives for the run's own request
   * (a resumed run's saved one); rejects with the reason a run cannot start or failed.
   */
  async train(loaded: LoadedForTraining, toolsFor: (request: TrainRequest) => Promise<ToolRunner>, request: RunRequest, onEvent: RunEventSink): Promise<RunSummary> {
    if (this.active || this.holding) throw new Error("a run is already training: stop it first");
    const runId = isResumeRequest(request) ? request.resume : newRunId();
    this.holding = runId;
    let held: (() => void) | undefined;
    const release = () => {
      held?.();
      this.holding = undefined;
    };
    let prepared: PreparedRun;
    try {
      held = await tryHoldRunLock(runId);
      if (!held) throw new Error(`run ${runId} is training in another tab of this browser: it is read-only here; control it from that tab, or close it and resume here`);
      const dir = subDir(await this.folder(), runId);
      const tools = await toolsFor((await runRequestOf(dir, request)).request);
      this.releaseTuned();
      prepared = await prepareRun(
        { device: loaded.device, frozen: loaded.runtime, tokenizer: loaded.tokenizer, tools, modelLabel: loaded.modelLabel, ...(loaded.modelIdentity ? { modelIdentity: loaded.modelIdentity } : {}), dir, runId, onEvent },
        request,
      );
    } catch (error) {
      release();
      throw error;
    }
    this.active = { prepared, run: prepared.run };
    try {
      const status = await prepared.run.run();
      await prepared.record(status);
      return { ...prepared.saved, status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await prepared.record("failed").catch(() => undefined);
      onEvent({ type: "status", status: "failed", message });
      throw error;
    } finally {
      this.active = undefined;
      release();
      prepared.dispose(false);
      this.tuned = prepared;
    }
  }

  pause(): void {
    this.active?.run.pause();
  }

  resume(): void {
    this.active?.run.resume();
  }

  stop(): void {
    this.active?.run.stop();
  }

  /** The trained adapter's runtime, while it is kept. */
  tunedRuntime(): ModelRuntime | undefined {
    return this.tuned?.runtime;
  }

  /** Which run the kept adapter comes from, and the step its weights are at (steps trained, not the last checkpoint). */
  tunedAdapter(): { runId: string; step: number } | undefined {
    return this.tuned ? { runId: this.tuned.saved.runId, step: this.tuned.run.step } : undefined;
  }

  /** Frees the kept adapter (a new model or a new run replaces it). */
  releaseTuned(): void {
    this.tuned?.dispose(true);
    this.tuned = undefined;
  }

  /** Saved runs, newest first; a run whose run.json cannot be read is left out. */
  async list(): Promise<RunSummary[]> {
    const root = await this.folder();
    const locked = await lockedRuns();
    const out: RunSummary[] = [];
    for (const id of await root.list("")) {
      const saved = await readSavedRun(subDir(root, id)).catch(() => undefined);
      if (!saved) continue;
      const { runId, model, created, step, steps } = saved;
      const ours = this.holding === runId;
      const elsewhere = !ours && locked.has(runId);
      // A run that was "running" when its tab closed was interrupted: it can be resumed.
      const status = saved.status === "running" && !ours && !elsewhere ? "stopped" : saved.status;
      const label = await readRunLabel(subDir(root, id));
      out.push({ runId, model, created, step, steps, status, ...(elsewhere ? { elsewhere } : {}), ...label });
    }
    return out.sort((a, b) => (a.created < b.created ? 1 : -1));
  }

  /** A saved run's metrics, evaluations and traces up to its last whole checkpoint. */
  async history(runId: string): Promise<RunHistory> {
    const dir = subDir(await this.folder(), runId);
    const { metrics, evals, traces } = await historyAt(dir, (await loadLatestCheckpoint(dir)).checkpoint);
    return { metrics, evals, traces };
  }

  /** The request a saved run was started with; throws when the run is gone. */
  async request(runId: string): Promise<TrainRequest> {
    const saved = await readSavedRun(subDir(await this.folder(), runId));
    if (!saved) throw new Error(`there is no saved run ${runId}`);
    return saved.request;
  }

  /**
   * Names and annotates a saved run (an empty name or note removes it). Kept in label.json beside run.json,
   * which training rewrites, so a label set while the run trains is never lost.
   */
  async labelRun(runId: string, label: RunLabel): Promise<void> {
    const name = label.name.trim();
    const note = label.note.trim();
    if (name.length > RUN_LABEL_LIMITS.name) throw new Error(`a run's name holds at most ${RUN_LABEL_LIMITS.name} characters; this one has ${name.length}`);
    if (note.length > RUN_LABEL_LIMITS.note) throw new Error(`a run's note holds at most ${RUN_LABEL_LIMITS.note} characters; this one has ${note.length}`);
    const dir = subDir(await this.folder(), runId);
    if (!(await readSavedRun(dir))) throw new Error(`there is no saved run ${runId}`);
    await dir.write(LABEL_FILE, utf8(JSON.stringify({ name, note })));
  }

  /** A saved run's adapter as of its last whole checkpoint, and its settings, for export; throws without a checkpoint. */
  async exportRun(runId: string): Promise<RunExport> {
    const dir = subDir(await this.folder(), runId);
    const saved = await readSavedRun(dir);
    if (!saved) throw new Error(`there is no saved run ${runId}`);
    const { checkpoint, skipped } = await loadLatestCheckpoint(dir);
    if (!checkpoint) throw new Error(`run ${runId} has no whole checkpoint yet${skipped.length ? ` (${skipped.join("; ")})` : ""}: train at least one step`);
    return {
      runId,
      step: checkpoint.state.step,
      adapter: adapterFiles(checkpoint, checkpoint.state.lora, checkpoint.state.model),
      config: resolveDapoConfig(saved.request.config),
      request: saved.request,
    };
  }

  /** Deletes a saved run (not the one training). */
  async remove(runId: string): Promise<void> {
    if (this.holding === runId) throw new Error("this run is training: stop it before deleting it");
    // Deleted under the run's lock, so no tab can start resuming it meanwhile.
    const release = await tryHoldRunLock(runId);
    if (!release) throw new Error(`run ${runId} is training in another tab of this browser: stop it there before deleting it`);
    try {
      await (await this.folder()).remove(runId);
    } finally {
      release();
    }
  }
}
