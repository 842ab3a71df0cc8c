// How the Train page's charts are drawn, apart from what the run logged: the
// smoothing weight, which charts use a log scale (both kept in localStorage,
// as a researcher sets them once), and the saved runs overlaid for comparison
// (their history and settings, read from the worker when picked; not kept).
import { create } from "zustand";
import type { EvalMetrics, RunSummary, StepMetrics, TrainRequest } from "../../protocol/run";
import { MAX_SMOOTHING } from "./chartLines";

const KEY = "tapo-chart-view";

/** A saved run overlaid on the charts. */
export type ComparedRun = {
  summary: RunSummary;
  /** Absent until its history has arrived. */
  metrics?: StepMetrics[];
  evals?: EvalMetrics[];
  request?: TrainRequest;
  error?: string;
};

export type ChartViewState = {
  smoothing: number;
  /** Chart ids drawn with a log-scaled y axis. */
  log: Record<string, boolean>;
  /** Runs overlaid, by run id, in the order they were picked. */
  compared: Record<string, ComparedRun>;
};

type Kept = Pick<ChartViewState, "smoothing" | "log">;

function storage(): Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** The kept view, or the default one when nothing (or nothing sound) is kept. */
export function readKeptView(text: string | null | undefined): Kept {
  const fallback: Kept = { smoothing: 0, log: {} };
  try {
    const kept = JSON.parse(text ?? "null") as Partial<Kept> | null;
    if (kept === null || typeof kept !== "object") return fallback;
    const smoothing = typeof kept.smoothing === "number" && kept.smoothing >= 0 && kept.smoothing <= MAX_SMOOTHING ? kept.smoothing : 0;
    const log = kept.log && typeof kept.log === "object" ? Object.fromEntries(Object.entries(kept.log).filter(([, v]) => v === true)) : {};
    return { smoothing, log };
  } catch {
    return fallback;
  }
}

function keep(s: ChartViewState): void {
  try {
    storage()?.setItem(KEY, JSON.stringify({ smoothing: s.smoothing, log: s.log }));
  } catch {
    // storage full or disabled: the view lasts as long as the page
  }
}

export const useChartViewStore = create<ChartViewState>()(() => ({ ...readKeptView(storage()?.getItem(KEY)), compared: {} }));

/** Back to the default view, nothing overlaid and nothing kept (tests call this between cases). */
export function resetChartView(): void {
  try {
    storage()?.removeItem(KEY);
  } catch {
    // storage disabled
  }
  useChartViewStore.setState({ smoothing: 0, log: {}, compared: {} }, true);
}

export function setSmoothing(smoothing: number): void {
  useChartViewStore.setState({ smoothing: Math.min(MAX_SMOOTHING, Math.max(0, smoothing)) });
  keep(useChartViewStore.getState());
}

export function setLogScale(chartId: string, on: boolean): void {
  useChartViewStore.setState((s) => {
    const log = { ...s.log };
    if (on) log[chartId] = true;
    else delete log[chartId];
    return { log };
  });
  keep(useChartViewStore.getState());
}

/** Starts overlaying `summary` (its history is then filled in by setComparedHistory or setComparedError). */
export function addCompared(summary: RunSummary): void {
  useChartViewStore.setState((s) => ({ compared: { ...s.compared, [summary.runId]: { summary } } }));
}

export function removeCompared(runId: string): void {
  useChartViewStore.setState((s) => {
    const compared = { ...s.compared };
    delete compared[runId];
    return { compared };
  });
}

/** Fills in a compared run's history and settings, unless it was removed meanwhile. */
export function setComparedHistory(runId: string, data: { metrics: StepMetrics[]; evals: EvalMetrics[]; request: TrainRequest }): void {
  useChartViewStore.setState((s) => (s.compared[runId] ? { compared: { ...s.compared, [runId]: { ...s.compared[runId], ...data } } } : {}));
}

export function setComparedError(runId: string, error: string): void {
  useChartViewStore.setState((s) => (s.compared[runId] ? { compared: { ...s.compared, [runId]: { ...s.compared[runId], error } } } : {}));
}

/** Drops compared runs that are no longer saved (deleted here or in another tab). */
export function keepComparedOf(saved: readonly RunSummary[]): void {
  const ids = new Set(saved.map((r) => r.runId));
  useChartViewStore.setState((s) => ({ compared: Object.fromEntries(Object.entries(s.compared).filter(([id]) => ids.has(id))) }));
}

/** How a run is named on charts and in tables: its name, else its id. */
export function runLabel(summary: Pick<RunSummary, "runId" | "name">): string {
  return summary.name ?? summary.runId;
}
