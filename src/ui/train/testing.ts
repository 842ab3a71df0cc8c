// Scripted run events for the Train page's tests: a run whose steps stream two
// rollouts (one thinks, searches, runs code and answers; one answers straight
// away), then step metrics, traces in scrambled order, and evaluations.
import type { RolloutEvent } from "../../protocol/rollout_events";
import type { Trace } from "../../protocol/trace";
import { DEFAULT_DAPO_CONFIG } from "../../rl/config";
import type { StepMetrics } from "../../protocol/run";
import type { EvalMetrics, RunEvent, TrainRequest } from "../../protocol/run";

export const REQUEST: TrainRequest = {
  tasks: { kind: "builtin", seed: 1 },
  config: {},
  steps: 3,
  seed: 1,
  evalEvery: 0,
  evalTasks: 4,
  checkpointEvery: 1,
};

/** The search result and Python output the runtime forces into rollout 0/0. */
export const FORCED_SEARCH = "Doc 1: (Title: Zorblat) The Zorblat river is 412 km long.";
export const FORCED_PYTHON = "824";

const tokens = (q: number, s: number, origin: "policy" | "forced", text: string): RolloutEvent => ({
  questionIndex: q,
  sampleIndex: s,
  type: "tokens",
  origin,
  text,
  count: Math.max(1, Math.ceil(text.length / 4)),
});

/** Rollout 0/0 in three batches, as the worker's batcher would hand them over; rollout 0/1 in the last. */
export function rolloutBatches(tag = ""): RolloutEvent[][] {
  return [
    [
      { questionIndex: 0, sampleIndex: 0, type: "start", promptTokens: 40 },
      { questionIndex: 0, sampleIndex: 1, type: "start", promptTokens: 40 },
      tokens(0, 0, "policy", `<think>I need the river's length${tag}.</think>\n<search>Zorblat river length</search>`),
      { questionIndex: 0, sampleIndex: 0, type: "tool_start", call: 0, tool: "search", text: "Zorblat river length" },
    ],
    [
      { questionIndex: 0, sampleIndex: 0, type: "tool_end", call: 0, tool: "search", response: FORCED_SEARCH, ms: 12 },
      tokens(0, 0, "forced", `\n\n<response>${FORCED_SEARCH}</response>\n\n`),
      tokens(0, 0, "policy", "<think>Twice that.</think>\n<code>print(412 * 2)</code>"),
      { questionIndex: 0, sampleIndex: 0, type: "tool_start", call: 1, tool: "python", text: "print(412 * 2)" },
      { questionIndex: 0, sampleIndex: 0, type: "tool_end", call: 1, tool: "python", response: FORCED_PYTHON, ms: 30 },
      tokens(0, 0, "forced", `\n\n<response>${FORCED_PYTHON}\n</response>\n\n`),
    ],
    [
      tokens(0, 0, "policy", "<answer>824</answer>"),
      { questionIndex: 0, sampleIndex: 0, type: "finish", finish: "answer", policyTokens: 30, forcedTokens: 20, turns: 3, toolCalls: 2 },
      tokens(0, 1, "policy", "<think>I guess.</think>\n<answer>100</answer>"),
      { questionIndex: 0, sampleIndex: 1, type: "finish", finish: "answer", policyTokens: 12, forcedTokens: 0, turns: 1, toolCalls: 0 },
    ],
  ];
}

/** The traces of rollouts 0/1 and 0/0, in that order (not the rollouts'). */
export function stepTraces(step: number, tag = ""): Trace[] {
  const base = { v: 1 as const, model: "tiny", step, question: "How long is the Zorblat river, doubled?", gold: ["824"], created: "2026-01-01T00:00:00.000Z" };
  return [
    {
      ...base,
      segments: [
        { kind: "think", text: "I guess." },
        { kind: "answer", text: "100" },
      ],
      reward: { total: -1, correct: false, format: true, overlong: 0 },
      tokens: { policy: 12, forced: 0 },
    },
    {
      ...base,
      segments: [
        { kind: "think", text: `I need the river's length${tag}.` },
        { kind: "search", text: "Zorblat river length" },
        { kind: "response", tool: "search", text: FORCED_SEARCH, ms: 12 },
        { kind: "think", text: "Twice that." },
        { kind: "code", text: "print(412 * 2)" },
        { kind: "response", tool: "python", text: `${FORCED_PYTHON}\n`, ms: 30 },
        { kind: "answer", text: "824" },
      ],
      reward: { total: 1, correct: true, format: true, overlong: 0 },
      tokens: { policy: 30, forced: 20 },
    },
  ];
}

export function stepMetrics(step: number): StepMetrics {
  return {
    step,
    reward: -0.5 + 0.25 * step,
    acc: 0.25 * step,
    tool_calls: 1,
    tool_calls_search: 0.5,
    tool_calls_code: 0.5,
    response_tokens: 21 + step,
    entropy: 1.5 - 0.1 * step,
    clip_frac: 0.01 * step,
    kept_groups: 1,
    seconds: 3,
    seconds_generate: 2,
    seconds_tools: 0.25,
    seconds_update: 0.75,
  };
}

export function evalAt(step: number, acc: number): EvalMetrics {
  return {
    step,
    mode: "greedy",
    n: 4,
    acc,
    reward: 2 * acc - 1,
    tool_calls: 1,
    tool_calls_search: 0.5,
    tool_calls_code: 0.5,
    response_tokens: 30,
    seconds: 1,
  };
}

/** A whole step: phases, rollout batches, metrics and traces. */
export function stepEvents(step: number): RunEvent[] {
  return [
    { type: "phase", step, phase: "generate", done: 0, total: 2 },
    ...rolloutBatches().map((events): RunEvent => ({ type: "rollouts", step, events })),
    { type: "phase", step, phase: "update", done: 1, total: 1 },
    { type: "step", metrics: stepMetrics(step) },
    { type: "traces", step, traces: stepTraces(step) },
  ];
}

export function runStarted(runId = "run-1", startStep = 0, resumed = false): RunEvent {
  return { type: "run-started", runId, request: REQUEST, resumed, config: { ...DEFAULT_DAPO_CONFIG }, startStep };
}
