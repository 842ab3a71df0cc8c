// Checks the kept chart view (Node, no GPU): a sound entry is read back, anything else falls back to the default
// view, and comparisons drop runs that are no longer saved.
import { describe, expect, it } from "vitest";
import { addCompared, keepComparedOf, readKeptView, useChartViewStore } from "./chartViewStore";

const summary = (runId: string) => ({ runId, model: "tiny", created: "", step: 1, steps: 1, status: "finished" as const });

describe("readKeptView", () => {
  it("reads a kept smoothing and log scales, and refuses what does not fit", () => {
    expect(readKeptView('{"smoothing":0.6,"log":{"entropy":true,"x":false}}')).toEqual({ smoothing: 0.6, log: { entropy: true } });
    expect(readKeptView('{"smoothing":7}')).toEqual({ smoothing: 0, log: {} });
    expect(readKeptView("{not json")).toEqual({ smoothing: 0, log: {} });
    expect(readKeptView(null)).toEqual({ smoothing: 0, log: {} });
  });
});

describe("compared runs", () => {
  it("forgets a compared run once it is no longer saved", () => {
    addCompared(summary("a"));
    addCompared(summary("b"));
    keepComparedOf([summary("b")]);
    expect(Object.keys(useChartViewStore.getState().compared)).toEqual(["b"]);
  });
});
