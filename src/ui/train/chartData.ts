// The Train page's charts as data: which series each chart draws (training
// metrics per step, held-out evaluations as separate points), and the aligned
// columns uPlot takes ([steps, series 1, series 2, …], null where a series has
// no value at that step). Pure, so the series building is tested without a browser.
import type { StepMetrics } from "../../protocol/run";
import type { EvalMetrics } from "../../protocol/run";

type StepField = Exclude<keyof StepMetrics, "step">;
type EvalField = "acc" | "reward" | "tool_calls" | "tool_calls_search" | "tool_calls_code" | "response_tokens";

/** An eval series reads greedy evaluations, or with `sampled` the sampled ones (avg@k when k > 1). */
export type SeriesSpec = { label: string; color: string } & ({ from: "step"; field: StepField } | { from: "eval"; field: EvalField; sampled?: boolean });

/** `log`: the chart offers a log-scaled y axis (its values are positive and span orders of magnitude). */
export type ChartSpec = { id: string; title: string; unit: string; series: SeriesSpec[]; log?: true };

const BLUE = "#1c6fc4";
const RED = "#c2255c";
const GREEN = "#2b8a3e";
const ORANGE = "#c25a0b";
const VIOLET = "#6741d9";

export const CHARTS: readonly ChartSpec[] = [
  {
    id: "reward",
    title: "Reward",
    unit: "mean per rollout",
    series: [
      { label: "train", color: BLUE, from: "step", field: "reward" },
      { label: "eval", color: RED, from: "eval", field: "reward" },
    ],
  },
  {
    id: "accuracy",
    title: "Accuracy",
    unit: "share correct",
    series: [
      { label: "train", color: BLUE, from: "step", field: "acc" },
      { label: "eval", color: RED, from: "eval", field: "acc" },
      { label: "eval avg@k", color: VIOLET, from: "eval", field: "acc", sampled: true },
    ],
  },
  {
    id: "tool-calls",
    title: "Tool calls per rollout",
    unit: "calls",
    series: [
      { label: "search", color: BLUE, from: "step", field: "tool_calls_search" },
      { label: "code", color: GREEN, from: "step", field: "tool_calls_code" },
    ],
  },
  { id: "response-length", title: "Response length", unit: "policy tokens", log: true, series: [{ label: "tokens", color: VIOLET, from: "step", field: "response_tokens" }] },
  { id: "entropy", title: "Entropy", unit: "nats per token", log: true, series: [{ label: "entropy", color: ORANGE, from: "step", field: "entropy" }] },
  { id: "clip-fraction", title: "Clip fraction", unit: "share of tokens clipped", series: [{ label: "clipped", color: RED, from: "step", field: "clip_frac" }] },
  { id: "kept-groups", title: "Kept groups", unit: "share kept by dynamic sampling", series: [{ label: "kept", color: GREEN, from: "step", field: "kept_groups" }] },
  {
    id: "step-time",
    title: "Step time",
    unit: "seconds",
    log: true,
    series: [
      { label: "total", color: "#343a40", from: "step", field: "seconds" },
      { label: "generate", color: BLUE, from: "step", field: "seconds_generate" },
      { label: "tools", color: GREEN, from: "step", field: "seconds_tools" },
      { label: "update", color: ORANGE, from: "step", field: "seconds_update" },
    ],
  },
];

/** uPlot's aligned columns: x (steps) first, then one column per series. */
export type AlignedColumns = [number[], ...(number | null)[][]];

function numberOr(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The evaluations a chart shows: greedy ones when there are any (one per step), else the rest. */
export function chartEvals(evals: readonly EvalMetrics[]): EvalMetrics[] {
  const greedy = evals.filter((e) => e.mode === "greedy");
  const chosen = greedy.length > 0 ? greedy : [...evals];
  const byStep = new Map<number, EvalMetrics>();
  for (const e of chosen) byStep.set(e.step, e);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The sampled evaluations (avg@k), one per step. */
export function sampledEvals(evals: readonly EvalMetrics[]): EvalMetrics[] {
  const byStep = new Map<number, EvalMetrics>();
  for (const e of evals) if (e.mode === "sampled") byStep.set(e.step, e);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The columns of `spec` over the steps that have a metric or (when it draws evaluations) an evaluation. */
export function chartColumns(spec: ChartSpec, metrics: readonly StepMetrics[], evals: readonly EvalMetrics[]): AlignedColumns {
  const usesEval = spec.series.some((s) => s.from === "eval" && !s.sampled);
  const usesSampled = spec.series.some((s) => s.from === "eval" && s.sampled);
  const byStep = new Map<number, StepMetrics>();
  for (const m of metrics) byStep.set(m.step, m);
  const evalByStep = new Map((usesEval ? chartEvals(evals) : []).map((e) => [e.step, e]));
  const sampledByStep = new Map((usesSampled ? sampledEvals(evals) : []).map((e) => [e.step, e]));
  const x = [...new Set([...byStep.keys(), ...evalByStep.keys(), ...sampledByStep.keys()])].sort((a, b) => a - b);
  const columns = spec.series.map((s) =>
    x.map((step) => {
      const row = s.from === "step" ? byStep.get(step) : s.sampled ? sampledByStep.get(step) : evalByStep.get(step);
      return row ? numberOr((row as Record<string, unknown>)[s.field]) : null;
    }),
  );
  return [x, ...columns];
}

/** How many points of `columns` hold a value (all series together). */
export function pointCount(columns: AlignedColumns): number {
  let n = 0;
  for (let i = 1; i < columns.length; i++) for (const v of columns[i] as (number | null)[]) if (v !== null) n++;
  return n;
}

/** Tick spacings the step axis may use: whole steps only (1, 2, 5, 10, 20, 50, …). */
export const STEP_INCREMENTS: number[] = Array.from({ length: 7 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();

/** A step axis tick's label: whole steps only (a fractional tick, should one appear, stays blank). */
export function stepTickLabel(tick: number): string {
  return Number.isInteger(tick) ? String(tick) : "";
}

/** A legend's value: `value` when the cursor is on a point, else the column's latest value (what a glance wants). */
export function legendValue(column: ArrayLike<number | null | undefined>, value: number | null | undefined, cursorIdx: number | null | undefined): string {
  let v = value;
  if (cursorIdx === null || cursorIdx === undefined) {
    v = undefined;
    for (let i = column.length - 1; i >= 0; i--) {
      const x = column[i];
      if (x !== null && x !== undefined && Number.isFinite(x)) {
        v = x;
        break;
      }
    }
  }
  return v === null || v === undefined || !Number.isFinite(v) ? "--" : String(+v.toPrecision(3));
}
