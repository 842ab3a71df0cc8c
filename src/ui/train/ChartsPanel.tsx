// The grid of training charts, one per metric of CHARTS, with the view's
// controls above it (smoothing, runs to overlay) and, when runs are overlaid,
// the table of how their settings differ. Redraws when a step, an evaluation
// or the view changes.
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { CHARTS, type ChartSpec } from "./chartData";
import { type ChartRun, chartPlot } from "./chartLines";
import { type ChartViewState, runLabel, useChartViewStore } from "./chartViewStore";
import { CompareRunsPicker } from "./CompareRunsPicker";
import { MetricChart } from "./MetricChart";
import { SettingsDiffTable } from "./SettingsDiffTable";
import { SmoothingControl } from "./SmoothingControl";
import { type TrainState, useTrainStore } from "./trainStore";

const selectShown = (s: TrainState) => ({ metrics: s.run.metrics, evals: s.run.evals, runId: s.run.runId, savedRuns: s.savedRuns });
const selectView = (s: ChartViewState) => s;

export function ChartsPanel() {
  const shown = useTrainStore(useShallow(selectShown));
  const view = useChartViewStore(useShallow(selectView));
  const shownSummary = shown.savedRuns.find((r) => r.runId === shown.runId);
  const runs: ChartRun[] = useMemo(() => {
    const own: ChartRun = { label: shownSummary ? runLabel(shownSummary) : "this run", metrics: shown.metrics, evals: shown.evals };
    const others = Object.values(view.compared)
      .filter((c) => c.summary.runId !== shown.runId && c.metrics !== undefined)
      .map((c): ChartRun => ({ label: runLabel(c.summary), metrics: c.metrics!, evals: c.evals ?? [] }));
    return [own, ...others];
  }, [shown.metrics, shown.evals, shown.runId, shownSummary, view.compared]);
  const empty = runs.every((r) => r.metrics.length === 0 && r.evals.length === 0);
  return (
    <section className="panel" aria-labelledby="charts-title">
      <h2 id="charts-title">Training curves</h2>
      <div className="chart-toolbar">
        <SmoothingControl smoothing={view.smoothing} />
        <CompareRunsPicker shownRunId={shown.runId} savedRuns={shown.savedRuns} compared={view.compared} />
      </div>
      {empty ? <p className="muted">Each finished step adds a point; evaluations show as dashed points.</p> : null}
      <div className="charts">
        {CHARTS.map((spec) => (
          <ChartOf key={spec.id} spec={spec} runs={runs} smoothing={view.smoothing} log={spec.log === true && view.log[spec.id] === true} />
        ))}
      </div>
      <SettingsDiffTable shownRunId={shown.runId} savedRuns={shown.savedRuns} compared={view.compared} />
    </section>
  );
}

/** One chart, its lines built only when its runs or view change. */
function ChartOf({ spec, runs, smoothing, log }: { spec: ChartSpec; runs: ChartRun[]; smoothing: number; log: boolean }) {
  const plot = useMemo(() => chartPlot(spec, runs, { smoothing, log }), [spec, runs, smoothing, log]);
  return <MetricChart spec={spec} plot={plot} log={log} />;
}
