// The Traces page's state in zustand: every run's traces (in the order they were written), the runs saved in
// this browser (listed by the trainer worker, read only when picked), which run and trace are shown, and the
// filter. Serialisable only; actions are module-level so the Train page's event handlers call them without hooks.
import { create } from "zustand";
import type { RunSummary } from "../../protocol/run";
import type { Trace } from "../../protocol/trace";
import { NO_FILTER, type TraceFilter } from "../../traces/filter";

/** The runs saved in this browser as last listed; `runs` stays while a new listing is under way. */
export type SavedRunList = { status: "unlisted" | "listing" | "listed" | "failed"; runs: RunSummary[]; error?: string };

/** A saved run's traces being read from storage, or why they could not be. */
export type RunRead = { status: "reading" } | { status: "failed"; error: string };

export type TracesState = {
  /** Traces per run id, oldest first. */
  runs: Record<string, Trace[]>;
  /** Run ids in the order they first appeared. */
  runOrder: string[];
  /** The run the user picked; when unset the page shows the newest run. */
  selectedRun?: string;
  /** Position of the shown trace in its run's list. */
  selectedIndex?: number;
  filter: TraceFilter;
  saved: SavedRunList;
  /** Reads of saved runs' traces under way or failed, per run id. */
  reads: Record<string, RunRead>;
  /** Runs whose traces were read from storage: the checkpoint step they were read at. Runs fed live are absent. */
  readAt: Record<string, number>;
  /** Runs opened from a file (never dropped when the saved runs are listed again). */
  files: string[];
};

const initialState: TracesState = { runs: {}, runOrder: [], filter: NO_FILTER, saved: { status: "unlisted", runs: [] }, reads: {}, readAt: {}, files: [] };

export const useTracesStore = create<TracesState>()(() => initialState);

/** Back to no runs and no filter (tests call this between cases). */
export function resetTracesStore(): void {
  useTracesStore.setState(initialState, true);
}

function without<T>(record: Record<string, T>, ids: readonly string[]): Record<string, T> {
  const out = { ...record };
  for (const id of ids) delete out[id];
  return out;
}

/** Appends traces to a run (creating it), as training steps finish; from then on the run is live, never re-read. */
export function addTraces(runId: string, traces: readonly Trace[]): void {
  useTracesStore.setState((s) => {
    const isNew = !s.runOrder.includes(runId);
    return {
      runs: { ...s.runs, [runId]: [...(s.runs[runId] ?? []), ...traces] },
      runOrder: isNew ? [...s.runOrder, runId] : s.runOrder,
      readAt: without(s.readAt, [runId]),
      // A new run becomes the shown one unless the user picked a run: the old selection belonged to another run.
      selectedIndex: isNew && s.selectedRun === undefined ? undefined : s.selectedIndex,
    };
  });
}

/** Puts `traces` in place of run `runId`'s, dropping the selection if that run is (or becomes) the shown one. */
function replaceRun(s: TracesState, runId: string, traces: readonly Trace[]): Pick<TracesState, "runs" | "runOrder" | "selectedIndex"> {
  const runOrder = s.runOrder.includes(runId) ? s.runOrder : [...s.runOrder, runId];
  const shownChanges = activeRunOf(s) === runId || activeRunOf({ selectedRun: s.selectedRun, runOrder }) === runId;
  return { runs: { ...s.runs, [runId]: [...traces] }, runOrder, selectedIndex: shownChanges ? undefined : s.selectedIndex };
}

/** Replaces a run's traces with ones from outside this browser's saved runs (an opened traces file). */
export function setRunTraces(runId: string, traces: readonly Trace[]): void {
  useTracesStore.setState((s) => ({
    ...replaceRun(s, runId, traces),
    readAt: without(s.readAt, [runId]),
    reads: without(s.reads, [runId]),
    files: s.files.includes(runId) ? s.files : [...s.files, runId],
  }));
}

/** Forgets one run's traces, or every run's when no id is given. */
export function clearTraces(runId?: string): void {
  if (runId === undefined) {
    useTracesStore.setState({ runs: {}, runOrder: [], selectedRun: undefined, selectedIndex: undefined, reads: {}, readAt: {}, files: [] });
    return;
  }
  useTracesStore.setState((s) => dropRuns(s, [runId]));
}

function dropRuns(s: TracesState, ids: readonly string[]): Partial<TracesState> {
  const shown = activeRunOf(s);
  const dropsShown = shown !== undefined && ids.includes(shown);
  return {
    runs: without(s.runs, ids),
    runOrder: s.runOrder.filter((id) => !ids.includes(id)),
    reads: without(s.reads, ids),
    readAt: without(s.readAt, ids),
    files: s.files.filter((id) => !ids.includes(id)),
    selectedRun: s.selectedRun !== undefined && ids.includes(s.selectedRun) ? undefined : s.selectedRun,
    selectedIndex: dropsShown ? undefined : s.selectedIndex,
  };
}

/** A new listing of the saved runs is under way. */
export function markListingRuns(): void {
  useTracesStore.setState((s) => ({ saved: { status: "listing", runs: s.saved.runs } }));
}

/**
 * The runs saved in this browser, newest first. A run from training that is no longer saved (deleted) is
 * forgotten, except `keep` (the run this tab trains) and runs opened from files.
 */
export function setSavedRunList(runs: RunSummary[], keep?: string): void {
  useTracesStore.setState((s) => {
    const listed = new Set(runs.map((r) => r.runId));
    const gone = s.runOrder.filter((id) => !listed.has(id) && id !== keep && !s.files.includes(id));
    return { ...dropRuns(s, gone), saved: { status: "listed", runs } };
  });
}

export function savedRunListFailed(error: string): void {
  useTracesStore.setState((s) => ({ saved: { status: "failed", runs: s.saved.runs, error } }));
}

export function markReadingRun(runId: string): void {
  useTracesStore.setState((s) => ({ reads: { ...s.reads, [runId]: { status: "reading" } } }));
}

export function runReadFailed(runId: string, error: string): void {
  useTracesStore.setState((s) => ({ reads: { ...s.reads, [runId]: { status: "failed", error } } }));
}

/**
 * A saved run's traces as read from storage at checkpoint `step`. A run whose traces arrived live meanwhile
 * (it trains in this tab) keeps them: only the read traces of steps before the first live one are put in front.
 */
export function setReadTraces(runId: string, traces: readonly Trace[], step: number): void {
  useTracesStore.setState((s) => {
    const reads = without(s.reads, [runId]);
    const live = s.runs[runId];
    if (live !== undefined && s.readAt[runId] === undefined && !s.files.includes(runId)) {
      const firstLive = live.reduce((min, t) => (t.step !== undefined && t.step < min ? t.step : min), Infinity);
      const earlier = traces.filter((t) => t.step === undefined || t.step < firstLive);
      return earlier.length === 0 ? { reads } : { ...replaceRun(s, runId, [...earlier, ...live]), reads };
    }
    // Storage only ever adds traces to a run: a re-read that kept every trace keeps the shown one too.
    const grew = live !== undefined && s.readAt[runId] !== undefined && traces.length >= live.length;
    return {
      ...replaceRun(s, runId, traces),
      ...(grew ? { selectedIndex: s.selectedIndex } : {}),
      reads,
      readAt: { ...s.readAt, [runId]: step },
      files: s.files.filter((id) => id !== runId),
    };
  });
}

/** Whether saved run `summary`'s traces must be read: not here yet, older than its last checkpoint, or a failed read. */
export function needsRead(s: Pick<TracesState, "runs" | "reads" | "readAt">, summary: RunSummary): boolean {
  const read = s.reads[summary.runId];
  if (read?.status === "reading") return false;
  if (read?.status === "failed" || s.runs[summary.runId] === undefined) return true;
  const at = s.readAt[summary.runId];
  return at !== undefined && at < summary.step;
}

/** Shows a run (undefined: always the newest). */
export function selectRun(runId: string | undefined): void {
  useTracesStore.setState({ selectedRun: runId, selectedIndex: undefined });
}

/** Shows the trace at `index` of the shown run. */
export function selectTrace(index: number | undefined): void {
  useTracesStore.setState({ selectedIndex: index });
}

export function setTraceFilter(patch: Partial<TraceFilter>): void {
  useTracesStore.setState((s) => ({ filter: { ...s.filter, ...patch } }));
}

/** The run the page shows: the picked one, else the newest. */
export function activeRunOf(s: Pick<TracesState, "selectedRun" | "runOrder">): string | undefined {
  return s.selectedRun ?? s.runOrder[s.runOrder.length - 1];
}

const NO_TRACES: Trace[] = [];

/** The shown run's traces (a stable empty list when there are none). */
export function activeTracesOf(s: TracesState): Trace[] {
  const run = activeRunOf(s);
  return (run !== undefined ? s.runs[run] : undefined) ?? NO_TRACES;
}
