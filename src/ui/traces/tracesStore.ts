// The Traces page's state in zustand: every run's traces (in the order they were written), which
// run and trace are shown, and the filter. Serialisable only; actions are module-level so the Train
// page's event handlers (and the run reloader) call them without hooks.
import { create } from "zustand";
import type { Trace } from "../../protocol/trace";
import { NO_FILTER, type TraceFilter } from "../../traces/filter";

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
};

const initialState: TracesState = { runs: {}, runOrder: [], filter: NO_FILTER };

export const useTracesStore = create<TracesState>()(() => initialState);

/** Back to no runs and no filter (tests call this between cases). */
export function resetTracesStore(): void {
  useTracesStore.setState(initialState, true);
}

/** Appends traces to a run (creating it), as training steps finish. */
export function addTraces(runId: string, traces: readonly Trace[]): void {
  useTracesStore.setState((s) => {
    const isNew = !s.runOrder.includes(runId);
    return {
      runs: { ...s.runs, [runId]: [...(s.runs[runId] ?? []), ...traces] },
      runOrder: isNew ? [...s.runOrder, runId] : s.runOrder,
      // A new run becomes the shown one unless the user picked a run: the old selection belonged to another run.
      selectedIndex: isNew && s.selectedRun === undefined ? undefined : s.selectedIndex,
    };
  });
}

/** Replaces a run's traces (a run reloaded from storage, a file opened). */
export function setRunTraces(runId: string, traces: readonly Trace[]): void {
  useTracesStore.setState((s) => {
    const isNew = !s.runOrder.includes(runId);
    const runOrder = isNew ? [...s.runOrder, runId] : s.runOrder;
    const shownChanges = activeRunOf(s) === runId || activeRunOf({ selectedRun: s.selectedRun, runOrder }) === runId;
    return { runs: { ...s.runs, [runId]: [...traces] }, runOrder, selectedIndex: shownChanges ? undefined : s.selectedIndex };
  });
}

/** Forgets one run's traces, or every run's when no id is given. */
export function clearTraces(runId?: string): void {
  if (runId === undefined) {
    useTracesStore.setState({ runs: {}, runOrder: [], selectedRun: undefined, selectedIndex: undefined });
    return;
  }
  useTracesStore.setState((s) => {
    const runs = { ...s.runs };
    delete runs[runId];
    const shown = activeRunOf(s) === runId;
    return {
      runs,
      runOrder: s.runOrder.filter((id) => id !== runId),
      selectedRun: s.selectedRun === runId ? undefined : s.selectedRun,
      selectedIndex: shown ? undefined : s.selectedIndex,
    };
  });
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
