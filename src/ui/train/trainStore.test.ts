// Checks the Train page's store actions and the client's event queue: run events fold in one store update per flush, traces reach the Traces page's store, and train()'s end settles the status without overriding a status event. Node, no GPU.
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetTracesStore, useTracesStore } from "../traces/tracesStore";
import { enqueueRunEvent, flushRunEvents } from "./runCommands";
import { runStarted, stepEvents } from "./testing";
import { applyRunEvents, markPending, markStarting, resetTrainStore, settleRun, useTrainStore } from "./trainStore";

afterEach(() => {
  resetTrainStore();
  resetTracesStore();
  vi.useRealTimers();
});

describe("trainStore", () => {
  it("marks a start, then follows the worker's events", () => {
    markStarting();
    expect(useTrainStore.getState().run.status).toBe("starting");
    applyRunEvents([runStarted("r1")]);
    markPending("stop");
    expect(useTrainStore.getState().run).toMatchObject({ status: "running", pending: "stop" });
  });

  it("settles a run that ended without a status event, keeps one that had it, and shows a failure's message", () => {
    const summary = { runId: "r1", model: "tiny", created: "", step: 3, steps: 3, status: "finished" as const };
    applyRunEvents([runStarted("r1")]);
    settleRun(summary);
    expect(useTrainStore.getState().run.status).toBe("finished");
    applyRunEvents([runStarted("r2"), { type: "status", status: "stopped" }]);
    settleRun({ ...summary, status: "finished" });
    expect(useTrainStore.getState().run.status).toBe("stopped");
    settleRun(undefined, "no model is loaded");
    expect(useTrainStore.getState().run).toMatchObject({ status: "failed", message: "no model is loaded" });
  });
});

describe("the run event queue", () => {
  it("applies queued events in one store update and hands each step's traces to the Traces page", () => {
    vi.useFakeTimers();
    let updates = 0;
    const unsubscribe = useTrainStore.subscribe(() => updates++);
    for (const e of [runStarted("r9"), ...stepEvents(1)]) enqueueRunEvent(e);
    expect(updates).toBe(0);
    vi.runAllTimers();
    unsubscribe();
    expect(updates).toBe(1);
    const { run } = useTrainStore.getState();
    expect(run.metrics).toHaveLength(1);
    expect(run.rollouts.order).toEqual(["0/0", "0/1"]);
    expect(useTracesStore.getState().runs["r9"]).toHaveLength(2);
    flushRunEvents();
    expect(useTracesStore.getState().runs["r9"]).toHaveLength(2);
  });
});
