// One uPlot line chart of a training metric per step (evaluations as points),
// created once and fed new columns as steps arrive; resizes with its box. The
// legend shows each series' latest value, and the hovered point's while hovering.
import { memo, useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { StepMetrics } from "../../protocol/run";
import type { EvalMetrics } from "../../protocol/run";
import { type AlignedColumns, chartColumns, type ChartSpec, legendValue, pointCount, STEP_INCREMENTS, stepTickLabel } from "./chartData";

const HEIGHT = 170;

function optionsOf(spec: ChartSpec, width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: false } },
    axes: [
      { label: "step", size: 36, labelSize: 14, incrs: STEP_INCREMENTS, values: (_u, ticks) => ticks.map(stepTickLabel) },
      { size: 48, values: (_u, ticks) => ticks.map((t) => (Math.abs(t) >= 1000 ? `${Math.round(t / 100) / 10}k` : String(+t.toPrecision(3)))) },
    ],
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: "step", value: (u, v, _si, idx) => legendValue(u.data[0], v, idx) },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          value: (u, v, si, idx) => legendValue(u.data[si] as ArrayLike<number | null>, v, idx),
          stroke: s.color,
          width: 2,
          spanGaps: true,
          points: { show: true, size: s.from === "eval" ? 7 : 4, fill: s.color },
          ...(s.from === "eval" ? { dash: [4, 4] } : {}),
        }),
      ),
    ],
  };
}

type Props = { spec: ChartSpec; metrics: readonly StepMetrics[]; evals: readonly EvalMetrics[] };

/**
 * Chart redraws waiting their turn. A step's end updates every chart at once; drawn in one task
 * that passes 50 ms on a slow machine, so each chart draws in a task of its own.
 */
const pending = new Map<object, () => void>();
let draining = false;

function drainOne(): void {
  const next = pending.entries().next();
  if (next.done) {
    draining = false;
    return;
  }
  const [owner, draw] = next.value;
  pending.delete(owner);
  draw();
  setTimeout(drainOne, 0);
}

/** Queues `draw` for `owner`'s chart, replacing a draw it still has waiting. */
function queueDraw(owner: object, draw: () => void): void {
  pending.set(owner, draw);
  if (!draining) {
    draining = true;
    setTimeout(drainOne, 0);
  }
}

export const MetricChart = memo(function MetricChart({ spec, metrics, evals }: Props) {
  const columns: AlignedColumns = useMemo(() => chartColumns(spec, metrics, evals), [spec, metrics, evals]);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    queueDraw(host, () => {
      const el = host.current;
      if (!el) return; // unmounted while waiting
      if (plot.current) plot.current.setData(columns as uPlot.AlignedData);
      else plot.current = new uPlot(optionsOf(spec, Math.max(200, el.clientWidth)), columns as uPlot.AlignedData, el);
    });
  }, [spec, columns]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, Math.floor(el.clientWidth));
      if (plot.current && plot.current.width !== width) plot.current.setSize({ width, height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      pending.delete(host);
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, []);

  const points = pointCount(columns);
  return (
    <figure className="chart" data-chart={spec.id} data-points={points}>
      <figcaption>
        {spec.title} <span className="muted">{spec.unit}</span>
      </figcaption>
      <div ref={host} className="chart-plot" role="img" aria-label={`${spec.title}: ${points === 0 ? "no steps yet" : `${columns[0].length} steps`}`} />
    </figure>
  );
});
