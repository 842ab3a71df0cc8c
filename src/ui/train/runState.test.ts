// Checks the Train page's reducer on scripted run events: status and pending controls, streamed rollouts (sorted, only touched rows replaced, a new step starts afresh), traces matched to rollouts by content, metrics and evaluations upserted, a saved run reloaded. Node, no GPU.
import { describe, expect, it } from "vitest";
import type { RunEvent, StepMetrics } from "../../protocol/run";
import { applyRolloutBatch, attachTraces, EMPTY_ROLLOUTS, INITIAL_RUN, isActive, pendingVerdict, reduceRunEvents, runPace, stateOfHistory, stepsDone } from "./runState";
import { evalAt, FORCED_SEARCH, rolloutBatches, runStarted, stepEvents, stepMetrics, stepTraces } from "./testing";

describe("reduceRunEvents: status", () => {
  it("follows run-started and status events, clearing a pending pause once it takes effect", () => {
    let s = reduceRunEvents(INITIAL_RUN, [runStarted("run-7")]);
    expect(s).toMatchObject({ status: "running", runId: "run-7", steps: 3, startStep: 0 });
    s = reduceRunEvents({ ...s, pending: "pause" }, [{ type: "phase", step: 1, phase: "generate", done: 1, total: 8 }]);
    expect(s.pending).toBe("pause");
    expect(s.phase).toEqual({ step: 1, phase: "generate", done: 1, total: 8 });
    s = reduceRunEvents(s, [{ type: "status", status: "paused" }]);
    expect(s).toMatchObject({ status: "paused", pending: undefined });
    s = reduceRunEvents(s, [{ type: "status", status: "failed", message: "device lost" }]);
    expect(s).toMatchObject({ status: "failed", message: "device lost", phase: undefined });
  });

  it("starts a new run with empty charts but keeps them when the run resumed is the one shown", () => {
    const first = reduceRunEvents(INITIAL_RUN, [runStarted("a"), ...stepEvents(1), { type: "eval", eval: evalAt(0, 0.1) }]);
    expect(first.metrics).toHaveLength(1);
    const other = reduceRunEvents(first, [runStarted("b")]);
    expect([other.metrics.length, other.evals.length, other.rollouts.order.length]).toEqual([0, 0, 0]);
    const resumed = reduceRunEvents(first, [runStarted("a", 1, true), { type: "step", metrics: stepMetrics(2) }]);
    expect(resumed.metrics.map((m) => m.step)).toEqual([1, 2]);
    expect(resumed.evals).toHaveLength(1);
    expect(stepsDone(resumed)).toBe(2);
  });

  it("shows no checkpoint of the previous run on a new run; a resumed run starts at the checkpoint it loaded", () => {
    const first = reduceRunEvents(INITIAL_RUN, [runStarted("a"), ...stepEvents(1), { type: "checkpoint", step: 1, runId: "a" }, ...stepEvents(2), { type: "checkpoint", step: 2, runId: "a" }]);
    expect(first.lastCheckpoint).toBe(2);
    expect(reduceRunEvents(first, [runStarted("b")]).lastCheckpoint).toBeUndefined();
    expect(reduceRunEvents(first, [runStarted("a", 2, true)]).lastCheckpoint).toBe(2);
  });
});

describe("pendingVerdict", () => {
  it("says scoring… only while the step can still score the rollout, and why it never will otherwise", () => {
    const mid = reduceRunEvents(INITIAL_RUN, [runStarted(), ...stepEvents(1).filter((e) => e.type !== "traces" && e.type !== "step")]);
    const finished = mid.rollouts.order.map((k) => mid.rollouts.byKey[k]!).filter((v) => v.live.finish);
    expect(finished.length).toBeGreaterThan(0);
    const view = finished[0]!;
    expect(pendingVerdict(view, mid.rollouts.scored, isActive(mid.status))).toBe("scoring…");
    const stopped = reduceRunEvents(mid, [{ type: "status", status: "stopped" }]);
    expect(pendingVerdict(view, stopped.rollouts.scored, isActive(stopped.status))).toMatch(/^not scored: the run stopped/);
    // The step's traces came, but not for this rollout (its group was left out of the update).
    const scored = reduceRunEvents(mid, [{ type: "traces", step: 1, traces: [] }]);
    expect(pendingVerdict(scored.rollouts.byKey[view.key]!, scored.rollouts.scored, true)).toMatch(/^not scored: left out/);
    // Scored rollouts and ones still being written show no pending text.
    const done = reduceRunEvents(INITIAL_RUN, [runStarted(), ...stepEvents(1)]);
    for (const k of done.rollouts.order) expect(pendingVerdict(done.rollouts.byKey[k]!, true, true)).toBeUndefined();
    expect(pendingVerdict({ ...view, live: { ...view.live, finish: undefined } }, false, true)).toBeUndefined();
  });
});

describe("reduceRunEvents: rollouts", () => {
  it("builds each rollout's text and chunks from its batches, sorted by question then sample", () => {
    const [b1, b2, b3] = rolloutBatches();
    const r = applyRolloutBatch(applyRolloutBatch(applyRolloutBatch(EMPTY_ROLLOUTS, 4, [...b3!].reverse().filter((e) => e.sampleIndex === 1)), 4, b1!), 4, b2!);
    expect(r.order).toEqual(["0/0", "0/1"]);
    const v = r.byKey["0/0"]!;
    expect(v.live.text).toContain(`<response>${FORCED_SEARCH}</response>`);
    expect(v.live.chunks.map((c) => c.origin)).toEqual(["policy", "forced", "policy", "forced"]);
    expect(v.live.toolCalls.map((c) => [c.tool, c.done])).toEqual([
      ["search", true],
      ["python", true],
    ]);
  });

  it("replaces only the rollouts a batch touches, and starts afresh on a new step", () => {
    const [b1, , b3] = rolloutBatches();
    const a = applyRolloutBatch(EMPTY_ROLLOUTS, 1, b1!);
    const b = applyRolloutBatch(a, 1, b3!.filter((e) => e.sampleIndex === 1));
    expect(b.byKey["0/0"]).toBe(a.byKey["0/0"]);
    expect(b.byKey["0/1"]).not.toBe(a.byKey["0/1"]);
    expect(b.order).toBe(a.order);
    const next = applyRolloutBatch(b, 2, [{ questionIndex: 3, sampleIndex: 0, type: "start", promptTokens: 5 }]);
    expect(next.order).toEqual(["3/0"]);
    expect(next.step).toBe(2);
  });

  it("attaches each trace to the rollout it records, whatever the traces' order", () => {
    const s = reduceRunEvents(INITIAL_RUN, [runStarted(), ...stepEvents(1)]);
    expect(s.rollouts.scored).toBe(true);
    expect(s.rollouts.byKey["0/0"]!.result?.reward).toMatchObject({ correct: true, total: 1 });
    expect(s.rollouts.byKey["0/1"]!.result?.reward).toMatchObject({ correct: false, total: -1 });
    expect(s.rollouts.byKey["0/0"]!.result?.gold).toEqual(["824"]);
  });

  it("pairs traces whose text differs from the stream in order, and shows traces of a step it did not stream on their own", () => {
    const streamed = rolloutBatches().reduce((r, batch) => applyRolloutBatch(r, 1, batch), EMPTY_ROLLOUTS);
    const traces = stepTraces(1, " (edited)").reverse();
    const paired = attachTraces(streamed, 1, traces);
    expect(paired.byKey["0/0"]!.result?.reward?.correct).toBe(true);
    const loose = attachTraces(streamed, 1, stepTraces(1, " (edited)").map((t) => ({ ...t, segments: [{ kind: "text" as const, text: "other" }] })));
    expect(loose.byKey["0/0"]!.result?.reward?.correct).toBe(false);
    expect(loose.byKey["0/1"]!.result?.reward?.correct).toBe(true);
    const alone = attachTraces(streamed, 2, stepTraces(2));
    expect(alone.step).toBe(2);
    expect(alone.order).toHaveLength(2);
    expect(alone.byKey[alone.order[1]!]!.traceSegments?.map((x) => x.kind)).toContain("code");
  });
});

describe("reduceRunEvents: metrics and evaluations", () => {
  it("keeps one record per step and per evaluation step, sorted", () => {
    const events: RunEvent[] = [
      runStarted(),
      { type: "step", metrics: stepMetrics(2) },
      { type: "step", metrics: stepMetrics(1) },
      { type: "step", metrics: { ...stepMetrics(2), reward: 0.9 } },
      { type: "eval", eval: evalAt(2, 0.5) },
      { type: "eval", eval: evalAt(0, 0.25) },
      { type: "eval", eval: { ...evalAt(0, 0.3), mode: "sampled" } },
      { type: "checkpoint", step: 2, runId: "run-1" },
    ];
    const s = reduceRunEvents(INITIAL_RUN, events);
    expect(s.metrics.map((m) => [m.step, m.reward])).toEqual([
      [1, -0.25],
      [2, 0.9],
    ]);
    expect(s.evals.map((e) => [e.step, e.mode])).toEqual([
      [0, "greedy"],
      [0, "sampled"],
      [2, "greedy"],
    ]);
    expect(s.lastCheckpoint).toBe(2);
    expect(stepsDone(s)).toBe(2);
  });
});

describe("stateOfHistory", () => {
  it("shows a saved run's curves and last step's traces, and calls a run saved mid-way interrupted", () => {
    const s = stateOfHistory(
      { runId: "r", model: "tiny", created: "2026-01-01T00:00:00Z", step: 2, steps: 5, status: "running" },
      { metrics: [stepMetrics(2), stepMetrics(1)], evals: [evalAt(0, 0.1)], traces: [...stepTraces(1), ...stepTraces(2)] },
    );
    expect(s.status).toBe("stopped");
    expect(s.message).toMatch(/interrupted after step 2 of 5/);
    expect(s.metrics.map((m) => m.step)).toEqual([1, 2]);
    expect(s.rollouts.step).toBe(2);
    expect(s.rollouts.order).toHaveLength(2);
    const done = stateOfHistory({ runId: "r", model: "tiny", created: "", step: 5, steps: 5, status: "finished" }, { metrics: [], evals: [], traces: [] });
    expect(done.status).toBe("finished");
    expect(done.rollouts.order).toEqual([]);
  });

  it("shows a run another tab trains as read-only, not as interrupted", () => {
    const s = stateOfHistory({ runId: "r", model: "tiny", created: "", step: 3, steps: 8, status: "running", elsewhere: true }, { metrics: [stepMetrics(1)], evals: [], traces: stepTraces(1) });
    expect(s.status).toBe("elsewhere");
    expect(isActive(s.status)).toBe(false);
    expect(s.message).toMatch(/step 3 of 8.*another tab .* read-only/);
    expect(s.metrics).toHaveLength(1);
  });
});

describe("runPace", () => {
  it("gives the time a step from the last three steps, the time left, and token rates when the metrics have them", () => {
    expect(runPace([], 10)).toBeUndefined();
    const at = (step: number, seconds: number, extra: Partial<StepMetrics> = {}): StepMetrics => ({ ...stepMetrics(step), seconds, seconds_generate: seconds / 2, seconds_update: seconds / 4, ...extra });
    const pace = runPace([at(1, 100), at(2, 10, { tokens_generated: 50, tokens_trained: 20 }), at(3, 20, { tokens_generated: 100, tokens_trained: 40 }), at(4, 30, { tokens_generated: 150, tokens_trained: 60 })], 10)!;
    expect(pace.secondsPerStep).toBe(20); // steps 2-4: the first step's 100 s no longer counts
    expect(pace.secondsLeft).toBe(6 * 20);
    expect(pace.generateTokensPerSecond).toBeCloseTo(300 / 30, 12);
    expect(pace.trainTokensPerSecond).toBeCloseTo(120 / 15, 12);
    // A run saved before token counts were logged: no rates, still a pace; a finished run has nothing left.
    const old = runPace([at(1, 8), at(2, 12)], 2)!;
    expect(old).toEqual({ secondsPerStep: 10, secondsLeft: 0 });
  });
});
