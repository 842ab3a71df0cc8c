// Checks the traces store: runs grow as steps finish, reloads replace them, clearing, the shown run and
// selection, filter patches, and saved runs: a deleted one forgotten on relisting, when one must be read, and
// read traces never overwriting live ones. Node only, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import type { RunSummary } from "../../protocol/run";
import type { Trace } from "../../protocol/trace";
import {
  activeRunOf,
  activeTracesOf,
  addTraces,
  clearTraces,
  markReadingRun,
  needsRead,
  resetTracesStore,
  runReadFailed,
  selectRun,
  selectTrace,
  setReadTraces,
  setRunTraces,
  setSavedRunList,
  setTraceFilter,
  useTracesStore,
} from "./tracesStore";

function trace(question: string, step = 0): Trace {
  return { v: 1, model: "tiny", step, question, segments: [], created: "2025-01-01T00:00:00.000Z" };
}

function summary(runId: string, step: number): RunSummary {
  return { runId, model: "tiny", created: "2025-01-01T00:00:00.000Z", step, steps: 3, status: "stopped" };
}

const state = () => useTracesStore.getState();
const questions = (runId: string) => state().runs[runId]?.map((t) => t.question);

describe("tracesStore", () => {
  beforeEach(() => resetTracesStore());

  it("appends traces per run, in order, and shows the newest run unless one was picked", () => {
    addTraces("run-a", [trace("a0"), trace("a1")]);
    addTraces("run-a", [trace("a2", 1)]);
    expect(state().runs["run-a"]!.map((t) => t.question)).toEqual(["a0", "a1", "a2"]);
    addTraces("run-b", [trace("b0")]);
    expect(state().runOrder).toEqual(["run-a", "run-b"]);
    expect(activeRunOf(state())).toBe("run-b");
    selectRun("run-a");
    selectTrace(2);
    addTraces("run-c", [trace("c0")]);
    expect(activeRunOf(state())).toBe("run-a");
    expect(activeTracesOf(state())[state().selectedIndex!]!.question).toBe("a2");
  });

  it("drops the selection when a new run takes over the view", () => {
    addTraces("run-a", [trace("a0"), trace("a1")]);
    selectTrace(1);
    addTraces("run-b", [trace("b0")]);
    expect(state().selectedIndex).toBeUndefined();
  });

  it("replaces a run's traces on reload, keeping its place", () => {
    addTraces("run-a", [trace("old")]);
    addTraces("run-b", [trace("b0")]);
    setRunTraces("run-a", [trace("new0"), trace("new1")]);
    expect(state().runs["run-a"]!.map((t) => t.question)).toEqual(["new0", "new1"]);
    expect(state().runOrder).toEqual(["run-a", "run-b"]);
    setRunTraces("file.jsonl", [trace("f")]);
    expect(activeTracesOf(state()).map((t) => t.question)).toEqual(["f"]);
  });

  it("clears one run or all of them", () => {
    addTraces("run-a", [trace("a")]);
    addTraces("run-b", [trace("b")]);
    selectRun("run-b");
    clearTraces("run-b");
    expect(state().runOrder).toEqual(["run-a"]);
    expect(state().selectedRun).toBeUndefined();
    expect(activeRunOf(state())).toBe("run-a");
    clearTraces();
    expect(state().runs).toEqual({});
    expect(activeTracesOf(state())).toEqual([]);
  });

  it("patches the filter", () => {
    setTraceFilter({ outcome: "correct" });
    setTraceFilter({ step: "2-4" });
    expect(state().filter).toMatchObject({ outcome: "correct", step: "2-4", usedSearch: "any", query: "" });
  });

  it("forgets a run that is no longer saved, but keeps opened files and the run this tab trains", () => {
    addTraces("run-a", [trace("a")]);
    addTraces("run-b", [trace("b")]);
    addTraces("run-live", [trace("l")]);
    setRunTraces("run-c.jsonl", [trace("f")]);
    selectRun("run-b");
    setSavedRunList([summary("run-a", 1), summary("run-b", 1)], "run-live");
    expect(state().runOrder).toEqual(["run-a", "run-b", "run-live", "run-c.jsonl"]);
    setSavedRunList([summary("run-a", 1)], "run-live");
    expect(state().runOrder).toEqual(["run-a", "run-live", "run-c.jsonl"]);
    expect(state().runs["run-b"]).toBeUndefined();
    expect(state().selectedRun).toBeUndefined();
    expect(state().saved).toEqual({ status: "listed", runs: [summary("run-a", 1)] });
    setSavedRunList([summary("run-a", 1)]);
    expect(state().runOrder).toEqual(["run-a", "run-c.jsonl"]);
  });

  it("reads a saved run that is not here, is older than its last checkpoint, or failed; never a live one or one being read", () => {
    expect(needsRead(state(), summary("run-a", 2))).toBe(true);
    markReadingRun("run-a");
    expect(needsRead(state(), summary("run-a", 2))).toBe(false);
    setReadTraces("run-a", [trace("a1", 1), trace("a2", 2)], 2);
    expect(state().reads).toEqual({});
    expect(state().readAt).toEqual({ "run-a": 2 });
    expect(needsRead(state(), summary("run-a", 2))).toBe(false);
    expect(needsRead(state(), summary("run-a", 3))).toBe(true);
    runReadFailed("run-a", "broken");
    expect(needsRead(state(), summary("run-a", 2))).toBe(true);
    // The run goes on in this tab: its traces now arrive live, and storage (which lags) is never read for it again.
    addTraces("run-a", [trace("a3", 3)]);
    expect(state().readAt).toEqual({});
    setReadTraces("run-a", [trace("a1", 1), trace("a2", 2)], 2);
    expect(needsRead(state(), summary("run-a", 9))).toBe(false);
    expect(questions("run-a")).toEqual(["a1", "a2", "a3"]);
  });

  it("puts read traces before a live run's own, keeping the live ones that storage does not have yet", () => {
    addTraces("run-live", [trace("live3", 3), trace("live4", 4)]);
    selectRun("run-live");
    selectTrace(1);
    setReadTraces("run-live", [trace("s1", 1), trace("s2", 2), trace("s3", 3)], 3);
    expect(questions("run-live")).toEqual(["s1", "s2", "live3", "live4"]);
    expect(state().selectedIndex).toBeUndefined();
    expect(state().readAt["run-live"]).toBeUndefined();
    // A read that brings nothing earlier changes nothing (not even the selection).
    selectTrace(2);
    setReadTraces("run-live", [trace("s1", 1)], 1);
    expect(questions("run-live")).toEqual(["s1", "s2", "live3", "live4"]);
    expect(state().selectedIndex).toBe(2);
  });

  it("a read run is replaced by a later read, and an opened file is not a saved run", () => {
    setReadTraces("run-a", [trace("old", 1)], 1);
    setReadTraces("run-a", [trace("old", 1), trace("new", 2)], 2);
    expect(questions("run-a")).toEqual(["old", "new"]);
    setRunTraces("run-a", [trace("from a file")]);
    expect(state().readAt).toEqual({});
    expect(state().files).toEqual(["run-a"]);
  });
});
