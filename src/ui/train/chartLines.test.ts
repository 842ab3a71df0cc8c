// Checks the charts' lines (Node, no GPU): the debiased moving average against a float64 reference on fresh random
// series, evaluations never smoothed, log scale dropping values <= 0, and overlaid runs aligned on one step axis
// with their own colours and labels.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random";
import { CHARTS } from "./chartData";
import { chartPlot, RUN_COLORS, shownPoints, smooth } from "./chartLines";
import { evalAt, stepMetrics } from "./testing";

const chart = (id: string) => CHARTS.find((c) => c.id === id)!;

describe("smooth", () => {
  it("is the debiased EMA of the non-null values, nulls kept in place", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const values = Array.from({ length: 40 }, () => (rand() < 0.2 ? null : rand() * 10 - 5));
    const weight = 0.1 + 0.8 * rand();
    const got = smooth(values, weight);
    // Reference: the weighted mean of the values seen so far, weights w^(age) (what debiasing computes).
    const seen: number[] = [];
    values.forEach((v, i) => {
      if (v === null) {
        expect(got[i], `seed ${seed}`).toBeNull();
        return;
      }
      seen.push(v);
      let num = 0;
      let den = 0;
      seen.forEach((x, j) => {
        const w = weight ** (seen.length - 1 - j);
        num += w * x;
        den += w;
      });
      expect(got[i], `seed ${seed}, point ${i}`).toBeCloseTo(num / den, 9);
    });
    expect(smooth(values, 0)).toEqual(values);
  });
});

describe("chartPlot", () => {
  const one = { label: "a", metrics: [stepMetrics(1), stepMetrics(2), stepMetrics(3)], evals: [evalAt(0, 0.2), evalAt(3, 0.6)] };

  it("draws the shown run as its chart's series, smoothing step series but not evaluations", () => {
    const plain = chartPlot(chart("accuracy"), [one], { smoothing: 0, log: false });
    expect(plain.x).toEqual([0, 1, 2, 3]);
    expect(plain.lines.map((l) => [l.label, l.color, l.eval])).toEqual([["train", "#1c6fc4", false], ["eval", "#c2255c", true], ["eval avg@k", "#6741d9", true]]);
    expect(plain.lines[0]!.values).toEqual([null, 0.25, 0.5, 0.75]);
    const smoothed = chartPlot(chart("accuracy"), [one], { smoothing: 0.5, log: false });
    // 0.25, then (0.5·0.25·0.5 + 0.5·0.5) / 0.75, …
    expect(smoothed.lines[0]!.values[2]).toBeCloseTo((0.5 * 0.5 * 0.25 + 0.5 * 0.5) / 0.75, 12);
    expect(smoothed.lines[1]!.values).toEqual(plain.lines[1]!.values);
    expect(shownPoints(plain)).toBe(5);
  });

  it("leaves out values a log scale cannot show", () => {
    const zero = { label: "z", metrics: [{ ...stepMetrics(1), entropy: 0 }, stepMetrics(2)], evals: [] };
    expect(chartPlot(chart("entropy"), [zero], { smoothing: 0, log: true }).lines[0]!.values).toEqual([null, 1.3]);
  });

  it("overlays compared runs on the union of steps, a colour a run and the run's name in each label", () => {
    const other = { label: "b", metrics: [stepMetrics(1), stepMetrics(5)], evals: [] };
    const plot = chartPlot(chart("tool-calls"), [one, other], { smoothing: 0, log: false });
    expect(plot.x).toEqual([1, 2, 3, 5]);
    expect(plot.lines.map((l) => l.label)).toEqual(["a · search", "a · code", "b · search", "b · code"]);
    expect(plot.lines.map((l) => l.color)).toEqual([RUN_COLORS[0], RUN_COLORS[0], RUN_COLORS[1], RUN_COLORS[1]]);
    expect(plot.lines[0]!.dash).toBeUndefined();
    expect(plot.lines[1]!.dash).toBeDefined();
    expect(plot.lines[2]!.values).toEqual([0.5, null, null, 0.5]);
    expect(plot.lines.map((l) => l.run)).toEqual([0, 0, 1, 1]);
    // Only the shown run's points are counted as the chart's own.
    expect(shownPoints(plot)).toBe(6);
    // A compared run's series without any value is left out; the shown run keeps all of its own.
    const accuracy = chartPlot(chart("accuracy"), [one, other], { smoothing: 0, log: false });
    expect(accuracy.lines.map((l) => l.label)).toEqual(["a · train", "a · eval", "a · eval avg@k", "b · train"]);
  });
});
