// Checks the traces store: runs grow as steps finish, reloads replace them, clearing, the shown run and
// selection, and filter patches. Node only, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import type { Trace } from "../../protocol/trace";
import {
  activeRunOf,
  activeTracesOf,
  addTraces,
  clearTraces,
  resetTracesStore,
  selectRun,
  selectTrace,
  setRunTraces,
  setTraceFilter,
  useTracesStore,
} from "./tracesStore";

function trace(question: string, step = 0): Trace {
  return { v: 1, model: "tiny", step, question, segments: [], created: "2025-01-01T00:00:00.000Z" };
}

const state = () => useTracesStore.getState();

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
});
