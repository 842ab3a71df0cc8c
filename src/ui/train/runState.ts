// The Train page's run state as plain data, and the pure reducer that folds the
// trainer's RunEvents into it: status, progress, step metrics, evaluations, and
// the current step's rollouts (streamed text, then reward and correctness from
// the step's traces). The zustand store (trainStore.ts) wraps these functions.
import type { RolloutEvent } from "../../protocol/rollout_events";
import { getFormat } from "../../rollout/formats";
import { type RolloutFormat } from "../../protocol/format";
import type { Segment, Trace } from "../../protocol/trace";
import type { DapoConfig } from "../../protocol/dapo_config";
import type { StepMetrics } from "../../protocol/run";
import type { EvalMetrics, PlannedMemory, RunEvent, RunHistory, RunStatus, RunSummary, StepPhase } from "../../protocol/run";
import { EMPTY_ROLLOUT, foldRolloutEvents, type LiveRollout, liveSegments } from "../rollouts/liveRollout";

export type PhaseProgress = { step: number; phase: StepPhase; done: number; total: number };

/** What the step's trace says about a rollout once the step is scored. */
export type RolloutResult = { question: string; gold?: string[]; reward?: Trace["reward"] };

export type RolloutView = {
  /** "questionIndex/sampleIndex". */
  key: string;
  questionIndex: number;
  sampleIndex: number;
  live: LiveRollout;
  /** The trace's segments, for a rollout known only from its trace (a reloaded run). */
  traceSegments?: Segment[];
  result?: RolloutResult;
};

/** One step's rollouts: `order` sorted by question then sample; only changed views get new objects. */
export type StepRollouts = { step: number; order: string[]; byKey: Record<string, RolloutView>; scored: boolean };

/** "elsewhere": a saved run that another tab is training, shown read-only here. */
export type RunUiStatus = "idle" | "starting" | RunStatus | "elsewhere";

export type RunState = {
  status: RunUiStatus;
  runId?: string;
  /** The last status message (why it failed, or what it is waiting for). */
  message?: string;
  /** A pause or stop asked for and not yet confirmed by a status event. */
  pending?: "pause" | "stop";
  steps: number;
  startStep: number;
  config?: DapoConfig;
  /** GPU memory the run planned (from its run-started event; absent for a saved run shown after a reload). */
  memory?: PlannedMemory;
  phase?: PhaseProgress;
  metrics: StepMetrics[];
  evals: EvalMetrics[];
  rollouts: StepRollouts;
  lastCheckpoint?: number;
};

export const EMPTY_ROLLOUTS: StepRollouts = { step: -1, order: [], byKey: {}, scored: false };

export const INITIAL_RUN: RunState = { status: "idle", steps: 0, startStep: 0, metrics: [], evals: [], rollouts: EMPTY_ROLLOUTS };

/** True while a run is under way in the worker (its controls, not the form, are live). */
export function isActive(status: RunUiStatus): boolean {
  return status === "starting" || status === "running" || status === "paused";
}

function keyOf(q: number, s: number): string {
  return `${q}/${s}`;
}

function compareKeys(a: RolloutView, b: RolloutView): number {
  return a.questionIndex - b.questionIndex || a.sampleIndex - b.sampleIndex;
}

/** `rollouts` with a batch of `step`'s rollout events applied (a new step starts an empty list). */
export function applyRolloutBatch(rollouts: StepRollouts, step: number, events: readonly RolloutEvent[]): StepRollouts {
  const base = rollouts.step === step ? rollouts : { step, order: [], byKey: {}, scored: false };
  const byRollout = new Map<string, RolloutEvent[]>();
  for (const e of events) {
    const key = keyOf(e.questionIndex, e.sampleIndex);
    const list = byRollout.get(key);
    if (list) list.push(e);
    else byRollout.set(key, [e]);
  }
  const byKey = { ...base.byKey };
  let added = false;
  for (const [key, list] of byRollout) {
    const prev = byKey[key];
    const first = list[0]!;
    byKey[key] = {
      ...(prev ?? { key, questionIndex: first.questionIndex, sampleIndex: first.sampleIndex }),
      live: foldRolloutEvents(prev?.live ?? EMPTY_ROLLOUT, list),
    };
    if (!prev) added = true;
  }
  const order = added ? Object.values(byKey).sort(compareKeys).map((v) => v.key) : base.order;
  return { ...base, order, byKey };
}

/** A key for matching a trace to a streamed rollout by what it says. */
function fullKey(segments: Segment[]): string {
  return segments.map((s) => `${s.kind}\u0001${s.text.trim()}`).join("\u0002");
}

/** A looser key: the blocks the policy wrote (think, search, code, answer) only. */
function coreKey(segments: Segment[]): string {
  return fullKey(segments.filter((s) => s.kind === "think" || s.kind === "search" || s.kind === "code" || s.kind === "answer"));
}

function resultOf(trace: Trace): RolloutResult {
  return { question: trace.question, ...(trace.gold ? { gold: trace.gold } : {}), ...(trace.reward ? { reward: trace.reward } : {}) };
}

/** A view of a rollout known only from its trace. */
function viewOfTrace(trace: Trace, index: number): RolloutView {
  const live: LiveRollout = { ...EMPTY_ROLLOUT, policyTokens: trace.tokens?.policy ?? 0, forcedTokens: trace.tokens?.forced ?? 0 };
  return { key: keyOf(index, 0), questionIndex: index, sampleIndex: 0, live, traceSegments: trace.segments, result: resultOf(trace) };
}

/**
 * `rollouts` with each of `step`'s traces attached to the streamed rollout it records: matched by
 * their segments, then by their blocks, then the rest in order. Without streamed rollouts for the
 * step (a reloaded run), the traces become the list.
 */
export function attachTraces(rollouts: StepRollouts, step: number, traces: readonly Trace[], format: RolloutFormat = getFormat("tapo")): StepRollouts {
  if (rollouts.step !== step || rollouts.order.length === 0) {
    const views = traces.map(viewOfTrace);
    return { step, order: views.map((v) => v.key), byKey: Object.fromEntries(views.map((v) => [v.key, v])), scored: true };
  }
  const byKey = { ...rollouts.byKey };
  const free = new Set(rollouts.order);
  const pending = traces.map((trace, i) => ({ trace, i }));
  const keyed = new Map(rollouts.order.map((k) => [k, liveSegments(byKey[k]!.live, format)]));
  for (const keyFn of [fullKey, coreKey]) {
    const wanted = new Map<string, string[]>();
    for (const k of free) {
      const key = keyFn(keyed.get(k)!);
      wanted.set(key, [...(wanted.get(key) ?? []), k]);
    }
    for (let p = pending.length - 1; p >= 0; p--) {
      const { trace } = pending[p]!;
      const list = wanted.get(keyFn(trace.segments));
      const k = list?.shift();
      if (k === undefined) continue;
      free.delete(k);
      byKey[k] = { ...byKey[k]!, result: resultOf(trace) };
      pending.splice(p, 1);
    }
  }
  // Whatever is left pairs up in order; if nothing is left to pair with, the trace is shown on its own.
  const rest = rollouts.order.filter((k) => free.has(k));
  const order = [...rollouts.order];
  pending.sort((a, b) => a.i - b.i);
  for (const { trace, i } of pending) {
    const k = rest.shift();
    if (k !== undefined) byKey[k] = { ...byKey[k]!, result: resultOf(trace) };
    else {
      const view = { ...viewOfTrace(trace, i), key: `trace/${i}` };
      byKey[view.key] = view;
      order.push(view.key);
    }
  }
  return { ...rollouts, order, byKey, scored: true };
}

function upsertBy<T>(list: T[], item: T, same: (a: T) => boolean, order: (a: T, b: T) => number): T[] {
  const out = list.filter((x) => !same(x));
  out.push(item);
  return out.sort(order);
}

/**
 * What a rollout's row says while it has no reward: nothing while it is written, "scoring…" while its step
 * can still score it, and why it never will once the step's traces came without it (its group was left
 * out) or the run ended before scoring it.
 */
export function pendingVerdict(view: RolloutView, scored: boolean, runActive: boolean): string | undefined {
  if (view.result?.reward || !view.live.finish) return undefined;
  if (scored) return "not scored: left out of the update";
  return runActive ? "scoring…" : "not scored: the run stopped before this step ended";
}

/** Folds one RunEvent into `state`. */
export function reduceRunEvent(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case "run-started": {
      const continuing = event.resumed && event.runId === state.runId;
      return {
        ...state,
        status: "running",
        runId: event.runId,
        message: undefined,
        pending: undefined,
        steps: event.request.steps,
        startStep: event.startStep,
        config: event.config,
        memory: event.memory,
        phase: undefined,
        // A resumed run keeps what it logged; steps it redoes after its checkpoint replace theirs.
        metrics: continuing ? state.metrics : [],
        evals: continuing ? state.evals : [],
        rollouts: EMPTY_ROLLOUTS,
        // A new run has no checkpoint yet; a resumed one starts from the checkpoint it loaded.
        lastCheckpoint: event.startStep > 0 ? event.startStep : undefined,
      };
    }
    case "rollouts":
      return { ...state, rollouts: applyRolloutBatch(state.rollouts, event.step, event.events) };
    case "phase":
      return { ...state, phase: { step: event.step, phase: event.phase, done: event.done, total: event.total } };
    case "step":
      return { ...state, metrics: upsertBy(state.metrics, event.metrics, (m) => m.step === event.metrics.step, (a, b) => a.step - b.step) };
    case "traces":
      return { ...state, rollouts: attachTraces(state.rollouts, event.step, event.traces) };
    case "eval": {
      const e = event.eval;
      return { ...state, evals: upsertBy(state.evals, e, (x) => x.step === e.step && x.mode === e.mode, (a, b) => a.step - b.step) };
    }
    case "checkpoint":
      return { ...state, lastCheckpoint: event.step };
    case "status": {
      const over = event.status !== "running" && event.status !== "paused";
      return {
        ...state,
        status: event.status,
        message: event.message,
        pending: event.status === "running" && state.pending === "stop" ? "stop" : undefined,
        ...(over ? { phase: undefined } : {}),
      };
    }
  }
}

/** Folds a batch of RunEvents, in order. */
export function reduceRunEvents(state: RunState, events: readonly RunEvent[]): RunState {
  return events.reduce(reduceRunEvent, state);
}

/** A saved run's state after a reload: its charts, evaluations and its last step's traces. */
export function stateOfHistory(summary: RunSummary, history: RunHistory): RunState {
  const metrics = [...history.metrics].sort((a, b) => a.step - b.step);
  const lastStep = history.traces.reduce((m, t) => Math.max(m, t.step ?? -1), -1);
  const last = history.traces.filter((t) => (t.step ?? -1) === lastStep);
  // Nothing runs in this tab after a reload: a run saved as running or paused was interrupted, and can be
  // resumed, unless another tab is training it (then it is read-only here).
  const interrupted = !summary.elsewhere && (summary.status === "running" || summary.status === "paused");
  const message = summary.elsewhere
    ? `as of its last checkpoint (step ${summary.step} of ${summary.steps}); another tab of this browser is training it, so it is read-only here`
    : interrupted
      ? `interrupted after step ${summary.step} of ${summary.steps}: resume it to go on`
      : undefined;
  return {
    ...INITIAL_RUN,
    status: summary.elsewhere ? "elsewhere" : interrupted ? "stopped" : summary.status,
    ...(message ? { message } : {}),
    runId: summary.runId,
    steps: summary.steps,
    startStep: summary.step,
    metrics,
    evals: [...history.evals].sort((a, b) => a.step - b.step),
    rollouts: last.length > 0 ? attachTraces(EMPTY_ROLLOUTS, lastStep, last) : EMPTY_ROLLOUTS,
  };
}

/** How fast the run goes, from its last few steps (what the run header shows). */
export type RunPace = {
  /** Mean wall time of the last PACE_STEPS steps. */
  secondsPerStep: number;
  /** The steps left at that pace (evaluations and checkpoints come on top). */
  secondsLeft: number;
  /** Sampled tokens a second of generation (tool waits left out); undefined for runs saved before it was logged. */
  generateTokensPerSecond?: number;
  /** Tokens in the loss a second of update. */
  trainTokensPerSecond?: number;
};

const PACE_STEPS = 3;

/** The run's pace from its last steps' metrics, or undefined before its first step. */
export function runPace(metrics: readonly StepMetrics[], steps: number): RunPace | undefined {
  const last = metrics.slice(-PACE_STEPS);
  if (last.length === 0) return undefined;
  const sum = (f: (m: StepMetrics) => number) => last.reduce((n, m) => n + f(m), 0);
  const secondsPerStep = sum((m) => m.seconds) / last.length;
  const done = metrics.at(-1)!.step;
  const rate = (tokens: (m: StepMetrics) => number | undefined, seconds: (m: StepMetrics) => number) => {
    if (last.some((m) => tokens(m) === undefined)) return undefined;
    const s = sum(seconds);
    return s > 0 ? sum((m) => tokens(m)!) / s : undefined;
  };
  const generate = rate((m) => m.tokens_generated, (m) => m.seconds_generate);
  const train = rate((m) => m.tokens_trained, (m) => m.seconds_update);
  return {
    secondsPerStep,
    secondsLeft: Math.max(0, steps - done) * secondsPerStep,
    ...(generate !== undefined ? { generateTokensPerSecond: generate } : {}),
    ...(train !== undefined ? { trainTokensPerSecond: train } : {}),
  };
}

/** Completed steps, as the run progress shows them (one metrics record per step, whatever its numbering). */
export function stepsDone(state: RunState): number {
  return Math.max(state.startStep, state.metrics.length);
}
