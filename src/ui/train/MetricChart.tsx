// One uPlot line chart of a training metric per step (evaluations as points),
// fed new columns as steps arrive and created anew only when its lines or its
// scale change (a run overlaid, a log scale); resizes with its box. The legend
// shows each line's latest value, and the hovered point's while hovering.
import { memo, useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { type ChartSpec, legendValue, STEP_INCREMENTS, stepTickLabel } from "./chartData";
import { type ChartLine, type ChartPlot, shownPoints } from "./chartLines";
import { setLogScale } from "./chartViewStore";

const HEIGHT = 170;

/** A y tick's label: 3 significant digits, thousands as "k"; a tick a log scale leaves out (null) stays blank. */
function valueTickLabel(t: number | null): string {
  if (t === null || !Number.isFinite(t)) return "";
  return Math.abs(t) >= 1000 ? `${Math.round(t / 100) / 10}k` : String(+t.toPrecision(3));
}

/** What decides the chart's options (the values alone are fed with setData). */
function shapeKey(lines: readonly ChartLine[], log: boolean): string {
  return JSON.stringify([log, lines.map((l) => [l.label, l.color, l.dash, l.eval])]);
}

function optionsOf(lines: readonly ChartLine[], log: boolean, width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: false }, ...(log ? { y: { distr: 3 } } : {}) },
    axes: [
      { label: "step", size: 36, labelSize: 14, incrs: STEP_INCREMENTS, values: (_u, ticks) => ticks.map(stepTickLabel) },
      { size: 48, values: (_u, ticks) => ticks.map(valueTickLabel) },
    ],
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: "step", value: (u, v, _si, idx) => legendValue(u.data[0], v, idx) },
      ...lines.map(
        (l): uPlot.Series => ({
          label: l.label,
          value: (u, v, si, idx) => legendValue(u.data[si] as ArrayLike<number | null>, v, idx),
          stroke: l.color,
          width: l.run === 0 ? 2 : 1.5,
          spanGaps: true,
          points: { show: true, size: l.eval ? 7 : 4, fill: l.color },
          ...(l.dash ? { dash: l.dash } : {}),
        }),
      ),
    ],
  };
}

type Props = { spec: ChartSpec; plot: ChartPlot; log: boolean };

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

export const MetricChart = memo(function MetricChart({ spec, plot: data, log }: Props) {
  const columns = useMemo(() => [data.x, ...data.lines.map((l) => l.values)] as uPlot.AlignedData, [data]);
  const shape = shapeKey(data.lines, log);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; shape: string } | undefined>(undefined);

  useEffect(() => {
    queueDraw(host, () => {
      const el = host.current;
      if (!el) return; // unmounted while waiting
      if (plot.current?.shape === shape) {
        plot.current.chart.setData(columns);
        return;
      }
      plot.current?.chart.destroy();
      plot.current = { chart: new uPlot(optionsOf(data.lines, log, Math.max(200, el.clientWidth)), columns, el), shape };
    });
  }, [data, columns, shape, log]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, Math.floor(el.clientWidth));
      if (plot.current && plot.current.chart.width !== width) plot.current.chart.setSize({ width, height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      pending.delete(host);
      plot.current?.chart.destroy();
      plot.current = undefined;
    };
  }, []);

  const points = shownPoints(data);
  const compared = new Set(data.lines.map((l) => l.run)).size - 1;
  const described = `${points === 0 ? "no steps yet" : `${data.x.length} steps`}${compared > 0 ? `, ${compared} run${compared > 1 ? "s" : ""} overlaid` : ""}${log ? ", log scale" : ""}`;
  return (
    <figure className="chart" data-chart={spec.id} data-points={points} data-lines={data.lines.length}>
      <figcaption>
        {spec.title} <span className="muted">{spec.unit}</span>
        {spec.log ? (
          <label className="chart-log">
            <input type="checkbox" checked={log} aria-label={`Log scale: ${spec.title}`} onChange={(e) => setLogScale(spec.id, e.currentTarget.checked)} /> log scale
          </label>
        ) : null}
      </figcaption>
      <div ref={host} className="chart-plot" role="img" aria-label={`${spec.title}: ${described}`} />
    </figure>
  );
});
