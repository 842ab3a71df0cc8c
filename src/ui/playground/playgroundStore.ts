// The Playground's state in zustand: the settings, and the answer being
// streamed (text so far, tool calls, how it finished). Serialisable only;
// actions are module-level so the worker's event batches reach them directly.
import { create } from "zustand";
import type { RolloutEvent } from "../../protocol/rollout_events";
import type { Trace } from "../../protocol/trace";
import { DEFAULT_PLAYGROUND, type PlaygroundSettings } from "../../trainer/playground";
import { EMPTY_ROLLOUT, foldRolloutEvents, type ToolCallView } from "../rollouts/liveRollout";

export type { ToolCallView };

export type PlaygroundState = {
  settings: PlaygroundSettings;
  question: string;
  status: "idle" | "running" | "done" | "error";
  /** The response text so far (policy and forced tokens, in order). */
  text: string;
  policyTokens: number;
  forcedTokens: number;
  toolCalls: ToolCallView[];
  finish?: string;
  trace?: Trace;
  error?: string;
  /** The seed the answer shown was sampled with. */
  askedSeed?: number;
};

const initialState: PlaygroundState = {
  settings: DEFAULT_PLAYGROUND,
  question: "",
  status: "idle",
  text: "",
  policyTokens: 0,
  forcedTokens: 0,
  toolCalls: [],
};

export const usePlaygroundStore = create<PlaygroundState>()(() => initialState);

export function resetPlaygroundStore(): void {
  usePlaygroundStore.setState(initialState, true);
}

export function setPlaygroundSettings(patch: Partial<PlaygroundSettings>): void {
  usePlaygroundStore.setState((s) => ({ settings: { ...s.settings, ...patch } }));
}

export function setQuestion(question: string): void {
  usePlaygroundStore.setState({ question });
}

export function startAnswer(): void {
  usePlaygroundStore.setState((s) => ({ status: "running", text: "", policyTokens: 0, forcedTokens: 0, toolCalls: [], finish: undefined, trace: undefined, error: undefined, askedSeed: s.settings.seed }));
}

/** "Sample again": the next seed, so the same question gets a new sample (at temperature 0 it cannot differ). */
export function nextSeed(): void {
  usePlaygroundStore.setState((s) => ({ settings: { ...s.settings, seed: (s.settings.seed + 1) >>> 0 } }));
}

/** Folds a batch of rollout events (one rollout: the Playground asks for one) into the state. */
export function applyRolloutEvents(events: RolloutEvent[]): void {
  usePlaygroundStore.setState((s) => {
    const next = foldRolloutEvents({ ...EMPTY_ROLLOUT, text: s.text, policyTokens: s.policyTokens, forcedTokens: s.forcedTokens, toolCalls: s.toolCalls }, events);
    return { text: next.text, policyTokens: next.policyTokens, forcedTokens: next.forcedTokens, toolCalls: next.toolCalls, ...(next.finish ? { finish: next.finish } : {}) };
  });
}

export function finishAnswer(trace: Trace): void {
  usePlaygroundStore.setState({ status: "done", trace });
}

export function failAnswer(message: string): void {
  usePlaygroundStore.setState({ status: "error", error: message });
}
