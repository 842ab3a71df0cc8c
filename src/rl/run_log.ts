// A run's log, one file per step, written as the step ends (before its
// checkpoint), in a StorageDir rooted at the run's folder:
//
//   log/step-000000.json   the evaluations before the first step
//   log/step-000012.json   {v: 1, step: 12, metrics, evals, traces}: step 12's
//                          metrics, its rollouts as Trace v1, and the
//                          evaluations made after it
//
// Each step writes its own file and nothing else of the log, so what a step
// costs to save does not grow with the run (checkpoints used to hold every
// trace so far, rewritten each time). A run's history is the files up to its
// last whole checkpoint: files of later steps were written by a run that
// stopped before checkpointing them, and a resume writes them again.
import { type EvalMetrics, type RunHistory, type StepMetrics } from "../protocol/run";
import type { Trace } from "../protocol/trace";
import { fromUtf8, type StorageDir, utf8 } from "../storage/dir";
import type { Checkpoint } from "./checkpoint";

/** One step's file. Step 0 has evaluations only. */
export type StepLog = { v: 1; step: number; metrics?: StepMetrics; evals: EvalMetrics[]; traces: Trace[] };

const ROOT = "log";
const pathOf = (step: number) => `${ROOT}/step-${String(step).padStart(6, "0")}.json`;

/** Writes step `log.step`'s file whole (replacing one a stopped run left); resolves with its size in bytes. */
export async function writeStepLog(dir: StorageDir, log: StepLog): Promise<number> {
  const bytes = utf8(JSON.stringify(log));
  await dir.write(pathOf(log.step), bytes);
  return bytes.length;
}

/** Steps that have a log file, oldest first. */
export async function listStepLogs(dir: StorageDir): Promise<number[]> {
  return (await dir.list(ROOT))
    .map((n) => /^step-(\d+)\.json$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function readStepLog(bytes: Uint8Array, step: number): StepLog {
  const log = JSON.parse(fromUtf8(bytes)) as Partial<StepLog>;
  if (log.v !== 1 || log.step !== step || !Array.isArray(log.evals) || !Array.isArray(log.traces)) {
    throw new Error("it is not a version-1 step log of this step");
  }
  return log as StepLog;
}

/**
 * The metrics, evaluations and traces logged for steps 0..`upTo`, in step order, and a line for each step
 * whose file is missing or cannot be read (its entries are then absent from the history).
 */
export async function readRunLog(dir: StorageDir, upTo: number): Promise<RunHistory & { problems: string[] }> {
  const out: RunHistory & { problems: string[] } = { metrics: [], evals: [], traces: [], problems: [] };
  const present = new Set((await listStepLogs(dir)).filter((s) => s <= upTo));
  for (let step = 0; step <= upTo; step++) {
    if (!present.has(step)) {
      if (step > 0) out.problems.push(`step ${step} has no log file (${pathOf(step)}): its metrics and traces are missing from the history`);
      continue;
    }
    try {
      const log = readStepLog((await dir.read(pathOf(step)))!, step);
      if (log.metrics) out.metrics.push(log.metrics);
      out.evals.push(...log.evals);
      out.traces.push(...log.traces);
    } catch (error) {
      out.problems.push(`step ${step}'s log (${pathOf(step)}) cannot be read (${error instanceof Error ? error.message : String(error)}): its metrics and traces are missing from the history`);
    }
  }
  return out;
}

/** Writes a history kept whole elsewhere (a checkpoint from before this log existed) as step files. */
export async function writeRunLog(dir: StorageDir, history: RunHistory, upTo: number): Promise<void> {
  for (let step = 0; step <= upTo; step++) {
    const metrics = history.metrics.find((m) => m.step === step);
    await writeStepLog(dir, {
      v: 1,
      step,
      ...(metrics ? { metrics } : {}),
      evals: history.evals.filter((e) => e.step === step),
      traces: history.traces.filter((t) => t.step === step),
    });
  }
}

/**
 * A run's history as of its last whole checkpoint: the step files up to it, or, for a checkpoint from before
 * the log existed, the history it holds itself. No checkpoint: an empty history (the run starts over).
 */
export async function historyAt(dir: StorageDir, checkpoint: Checkpoint | undefined): Promise<RunHistory & { problems: string[] }> {
  if (!checkpoint) return { metrics: [], evals: [], traces: [], problems: [] };
  if (checkpoint.legacyHistory) return { ...checkpoint.legacyHistory, problems: [] };
  return readRunLog(dir, checkpoint.state.step);
}
