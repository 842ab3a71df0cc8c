// Checks the Traces page's calls into the worker with a stand-in worker: saved runs listed (only the newest of
// overlapping listings lands), a run's traces read only when picked and only once, a failed read reported by name
// and retried, a picked run re-read when its checkpoint moved on
// (the shown trace kept), a refresh that leaves the shown run and trace alone, and no worker at all. Node only, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import type { RunHistory, RunSummary } from "../../protocol/run";
import type { Trace } from "../../protocol/trace";
import { listSavedRuns, openRun, refreshSavedRuns, type SavedRunSource } from "./savedRunTraces";
import { activeRunOf, activeTracesOf, resetTracesStore, selectRun, selectTrace, setRunTraces, useTracesStore } from "./tracesStore";

function trace(question: string, step: number): Trace {
  return { v: 1, model: "tiny", step, question, segments: [], created: "2025-01-01T00:00:00.000Z" };
}

function summary(runId: string, step: number, name?: string): RunSummary {
  return { runId, model: "tiny", created: "2025-01-01T00:00:00.000Z", step, steps: 3, status: "stopped", ...(name ? { name } : {}) };
}

/** A worker whose saved runs and histories the test sets; it counts history reads and can hold them back. */
class FakeWorker implements SavedRunSource {
  runs: RunSummary[] = [];
  histories: Record<string, Trace[]> = {};
  reads: string[] = [];
  failWith?: string;
  private held: (() => void)[] = [];
  hold = false;

  async listRuns(): Promise<RunSummary[]> {
    return this.runs.slice();
  }

  async runHistory(runId: string): Promise<RunHistory> {
    this.reads.push(runId);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failWith) throw new Error(this.failWith);
    const traces = this.histories[runId];
    if (!traces) throw new Error(`there is no run ${runId}`);
    return { metrics: [], evals: [], traces: traces.slice() };
  }

  /** Lets the held reads go on, and holds no more. */
  release(): void {
    this.hold = false;
    for (const go of this.held.splice(0)) go();
  }
}

const state = () => useTracesStore.getState();
const shownQuestions = () => activeTracesOf(state()).map((t) => t.question);

describe("saved runs on the Traces page", () => {
  let worker: FakeWorker;
  beforeEach(() => {
    resetTracesStore();
    worker = new FakeWorker();
    worker.runs = [summary("run-new", 1), summary("run-old", 2, "first try")];
    worker.histories = { "run-new": [trace("n1", 1)], "run-old": [trace("o1", 1), trace("o2", 2)] };
  });

  it("lists every saved run without reading any, and reads a run's traces once, when it is picked", async () => {
    await listSavedRuns(undefined, worker);
    expect(state().saved.status).toBe("listed");
    expect(state().saved.runs.map((r) => r.runId)).toEqual(["run-new", "run-old"]);
    expect(worker.reads).toEqual([]);
    worker.hold = true;
    const opening = openRun("run-old", worker);
    expect(activeRunOf(state())).toBe("run-old");
    expect(state().reads["run-old"]).toEqual({ status: "reading" });
    worker.release();
    await opening;
    expect(shownQuestions()).toEqual(["o1", "o2"]);
    expect(state().reads).toEqual({});
    await openRun("run-new", worker);
    await openRun("run-old", worker);
    expect(shownQuestions()).toEqual(["o1", "o2"]);
    expect(worker.reads).toEqual(["run-old", "run-new"]);
  });

  it("says which run could not be read and why, and reads it again on request", async () => {
    await listSavedRuns(undefined, worker);
    worker.failWith = "run.log is cut short at byte 12";
    await openRun("run-old", worker);
    const read = state().reads["run-old"];
    expect(read?.status).toBe("failed");
    expect(read?.status === "failed" ? read.error : "").toMatch(/^Could not read the traces of first try: run\.log is cut short at byte 12\. Try again/);
    expect(state().runs["run-old"]).toBeUndefined();
    worker.failWith = undefined;
    await openRun("run-old", worker);
    expect(state().reads).toEqual({});
    expect(shownQuestions()).toEqual(["o1", "o2"]);
  });

  it("re-reads the picked run when the list shows a newer checkpoint, and keeps what it has otherwise", async () => {
    await listSavedRuns(undefined, worker);
    await openRun("run-new", worker);
    selectTrace(0);
    await refreshSavedRuns(undefined, worker);
    expect(worker.reads).toEqual(["run-new"]);
    expect(state().selectedIndex).toBe(0);
    worker.runs = [summary("run-new", 2), summary("run-old", 2)];
    worker.histories["run-new"] = [trace("n1", 1), trace("n2", 2)];
    await refreshSavedRuns(undefined, worker);
    expect(worker.reads).toEqual(["run-new", "run-new"]);
    expect(shownQuestions()).toEqual(["n1", "n2"]);
    // The trace the user was reading is still shown: storage only added to the run.
    expect(state().selectedIndex).toBe(0);
  });

  it("keeps the shown run and trace when the list is refreshed, an opened file's included", async () => {
    setRunTraces("one.jsonl", [trace("f1", 1), trace("f2", 2)]);
    selectRun("one.jsonl");
    selectTrace(1);
    await refreshSavedRuns(undefined, worker);
    expect(state().selectedRun).toBe("one.jsonl");
    expect(state().selectedIndex).toBe(1);
    expect(worker.reads).toEqual([]);
  });

  it("lands only the newest of overlapping listings", async () => {
    let answerFirst: (runs: RunSummary[]) => void = () => {};
    const slow: SavedRunSource = { listRuns: () => new Promise((resolve) => (answerFirst = resolve)), runHistory: (id) => worker.runHistory(id) };
    const first = listSavedRuns(undefined, slow);
    await listSavedRuns(undefined, worker);
    answerFirst([summary("run-gone", 1)]);
    await first;
    expect(state().saved.runs.map((r) => r.runId)).toEqual(["run-new", "run-old"]);
  });

  it("reports a listing that fails, keeping the runs listed before", async () => {
    await listSavedRuns(undefined, worker);
    const broken: SavedRunSource = { listRuns: () => Promise.reject(new Error("the storage is locked")), runHistory: (id) => worker.runHistory(id) };
    await listSavedRuns(undefined, broken);
    expect(state().saved.status).toBe("failed");
    expect(state().saved.error).toBe("Could not list the runs saved in this browser: the storage is locked. Reload the page to try again.");
    expect(state().saved.runs).toHaveLength(2);
  });

  it("without a trainer worker, says so instead of listing", async () => {
    await listSavedRuns();
    expect(state().saved.status).toBe("failed");
    expect(state().saved.error).toContain("the trainer worker is not running (reload the page)");
  });
});
