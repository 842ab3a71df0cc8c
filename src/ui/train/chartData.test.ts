// Checks the chart series building: every chart's columns aligned on the steps of metrics and evaluations, nulls where a series has no value, greedy evaluations preferred. Node, no GPU.
import { describe, expect, it } from "vitest";
import { CHARTS, chartColumns, chartEvals, legendValue, pointCount, STEP_INCREMENTS, stepTickLabel } from "./chartData";
import { evalAt, stepMetrics } from "./testing";

const chart = (id: string) => CHARTS.find((c) => c.id === id)!;

describe("chartColumns", () => {
  it("puts evaluations at their own steps beside the training series", () => {
    const cols = chartColumns(chart("accuracy"), [stepMetrics(1), stepMetrics(2)], [evalAt(0, 0.2), evalAt(2, 0.6)]);
    expect(cols).toEqual([
      [0, 1, 2],
      [null, 0.25, 0.5],
      [0.2, null, 0.6],
      [null, null, null],
    ]);
    expect(pointCount(cols)).toBe(4);
  });

  it("draws sampled evaluations (avg@k) as their own accuracy series, apart from the greedy ones", () => {
    const sampled = (step: number, acc: number) => ({ ...evalAt(step, acc), mode: "sampled" as const, samples: 4 });
    const cols = chartColumns(chart("accuracy"), [stepMetrics(1)], [evalAt(0, 0.2), sampled(0, 0.3), sampled(2, 0.45), evalAt(2, 0.6)]);
    expect(cols).toEqual([
      [0, 1, 2],
      [null, 0.25, null],
      [0.2, null, 0.6],
      [0.3, null, 0.45],
    ]);
    // The reward chart draws greedy evaluations only.
    expect(chartColumns(chart("reward"), [], [sampled(0, 0.3)])[0]).toEqual([0]);
  });

  it("ignores evaluations in charts that do not draw them, and sorts steps", () => {
    const cols = chartColumns(chart("tool-calls"), [stepMetrics(3), stepMetrics(1)], [evalAt(0, 0.2)]);
    expect(cols).toEqual([
      [1, 3],
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it("gives null for a metric a record lacks (older runs without tool time) and for non-finite values", () => {
    const old: Partial<ReturnType<typeof stepMetrics>> = stepMetrics(1);
    delete old.seconds_tools;
    const cols = chartColumns(chart("step-time"), [old as never, { ...stepMetrics(2), seconds: Number.NaN }], []);
    expect(cols[0]).toEqual([1, 2]);
    expect(cols.slice(1)).toEqual([
      [3, null],
      [2, 2],
      [null, 0.25],
      [0.75, 0.75],
    ]);
  });

  it("has a chart for every metric the issue asks for, each series naming a real field", () => {
    expect(CHARTS.map((c) => c.id)).toEqual(["reward", "accuracy", "tool-calls", "response-length", "entropy", "clip-fraction", "kept-groups", "step-time"]);
    const m = stepMetrics(1) as Record<string, unknown>;
    const e = evalAt(1, 0.5) as Record<string, unknown>;
    for (const c of CHARTS) for (const s of c.series) expect(typeof (s.from === "step" ? m : e)[s.field], `${c.id}/${s.label}`).toBe("number");
  });
});

describe("chartEvals", () => {
  it("keeps greedy evaluations when there are any, one per step", () => {
    const sampled = { ...evalAt(1, 0.9), mode: "sampled" as const };
    expect(chartEvals([evalAt(2, 0.5), sampled, evalAt(0, 0.1)]).map((e) => e.step)).toEqual([0, 2]);
    expect(chartEvals([sampled])).toEqual([sampled]);
  });
});

describe("step axis", () => {
  it("uses whole-step spacings only and labels whole steps only", () => {
    expect(STEP_INCREMENTS.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(STEP_INCREMENTS.every((i) => Number.isInteger(i) && i >= 1)).toBe(true);
    expect([1, 1.2, 2, 10, 2.5].map(stepTickLabel)).toEqual(["1", "", "2", "10", ""]);
  });
});

describe("legendValue", () => {
  it("shows the hovered value, else the column's latest finite value, else --", () => {
    const column = [0.5, null, 0.25, null];
    expect(legendValue(column, null, null)).toBe("0.25");
    expect(legendValue(column, 0.5, 0)).toBe("0.5");
    expect(legendValue(column, null, 1)).toBe("--");
    expect(legendValue([null, null], null, undefined)).toBe("--");
    expect(legendValue([1 / 3], null, null)).toBe("0.333");
  });
});
