// What one training chart draws, as plain data: the shown run's series, and
// beside them the series of the saved runs picked for comparison (one colour a
// run, one dash pattern a series), all aligned on one step axis, with the
// chart view applied: exponential smoothing of the per-step series (debiased,
// as TensorBoard's slider) and a log scale, where values <= 0 have no place.
// Pure, so it is tested without a browser.
import type { EvalMetrics, StepMetrics } from "../../protocol/run";
import { chartColumns, type ChartSpec } from "./chartData";

/** One run's logged history, and how the chart names it. */
export type ChartRun = { label: string; metrics: readonly StepMetrics[]; evals: readonly EvalMetrics[] };

/** smoothing: EMA weight in [0, 1) (0: raw values); log: a log-scaled y axis. */
export type ChartView = { smoothing: number; log: boolean };

export type ChartLine = {
  label: string;
  color: string;
  /** uPlot dash pattern; evaluations are dashed, and in a comparison each series of a run has its own. */
  dash?: number[];
  /** Evaluation points (bigger points, never smoothed). */
  eval: boolean;
  /** Index of the run in the runs given: 0 is the shown run. */
  run: number;
  /** (steps) values on the plot's x, null where the line has none. */
  values: (number | null)[];
};

/** x: the steps of every run, ascending; one line a (run, series). */
export type ChartPlot = { x: number[]; lines: ChartLine[] };

/** Colours of compared runs, in order (the shown run takes the first). */
export const RUN_COLORS = ["#1c6fc4", "#c2255c", "#2b8a3e", "#c25a0b", "#6741d9", "#0b7285", "#5c940d", "#862e9c"];
const SERIES_DASH: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [10, 3, 2, 3]];

/** Largest smoothing weight offered: at 0.99 a line stops following anything. */
export const MAX_SMOOTHING = 0.95;

/**
 * Debiased exponential moving average over the non-null values (nulls stay null and do not reset it):
 * s_t = w·s_{t-1} + (1-w)·v_t, divided by 1 - w^n after n values, so the first points are not pulled to 0.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return [...values];
  let acc = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    acc = weight * acc + (1 - weight) * v;
    n++;
    return acc / (1 - weight ** n);
  });
}

/** The chart's lines for `runs` (the shown run first) under `view`. */
export function chartPlot(spec: ChartSpec, runs: readonly ChartRun[], view: ChartView): ChartPlot {
  const perRun = runs.map((r) => chartColumns(spec, r.metrics, r.evals));
  const x = [...new Set(perRun.flatMap((cols) => cols[0]))].sort((a, b) => a - b);
  const compare = runs.length > 1;
  const lines: ChartLine[] = [];
  perRun.forEach((cols, run) => {
    const at = new Map(cols[0].map((step, i) => [step, i]));
    spec.series.forEach((s, si) => {
      const own = cols[si + 1] as (number | null)[];
      let values = x.map((step) => {
        const i = at.get(step);
        return i === undefined ? null : (own[i] ?? null);
      });
      const isEval = s.from === "eval";
      if (!isEval) values = smooth(values, view.smoothing);
      if (view.log) values = values.map((v) => (v !== null && v > 0 ? v : null));
      // A compared run's series with no value at all (say, sampled evaluations it never made) would only lengthen the legend.
      if (run > 0 && values.every((v) => v === null)) return;
      const dash = compare ? SERIES_DASH[si % SERIES_DASH.length] : isEval ? [4, 4] : undefined;
      lines.push({
        label: compare ? `${runs[run]!.label} · ${s.label}` : s.label,
        color: compare ? RUN_COLORS[run % RUN_COLORS.length]! : s.color,
        ...(dash ? { dash } : {}),
        eval: isEval,
        run,
        values,
      });
    });
  });
  return { x, lines };
}

/** Points of the shown run's lines that hold a value. */
export function shownPoints(plot: ChartPlot): number {
  let n = 0;
  for (const line of plot.lines) if (line.run === 0) for (const v of line.values) if (v !== null) n++;
  return n;
}
