// The Playground's state in zustand: the settings, which model answers (the adapter of
// the last run trained in this tab, the base model, or both side by side) and the
// answers being streamed, one per model asked. Serialisable only; actions are
// module-level so the worker's event batches reach them directly.
import { create } from "zustand";
import type { RolloutEvent } from "../../protocol/rollout_events";
import type { Trace } from "../../protocol/trace";
import { DEFAULT_PLAYGROUND, type PlaygroundAdapter, type PlaygroundModel, type PlaygroundSettings } from "../../trainer/playground";
import type { PythonBootState } from "../../tools/python/python_tool";
import { EMPTY_ROLLOUT, foldRolloutEvents, type LiveRollout, type ToolCallView } from "../rollouts/liveRollout";

export type { ToolCallView };

/** One model's answer to the question asked. */
export type PlaygroundAnswer = {
  model: PlaygroundModel;
  /** The column's heading: which model wrote it. */
  title: string;
  /** "waiting": another model answers first (one GPU: one answer at a time). */
  status: "waiting" | "running" | "done" | "stopped" | "error";
  rollout: LiveRollout;
  trace?: Trace;
  error?: string;
};

export type PlaygroundState = {
  settings: PlaygroundSettings;
  question: string;
  /** With an adapter: ask the base model too, after the adapter, with the same seed and settings. */
  compare: boolean;
  /** The adapter the trainer worker keeps (the last run trained in this tab), as it last said. */
  adapter?: PlaygroundAdapter;
  /** The whole ask: "done" when every answer is, "stopped" when Stop ended it, "error" when an answer failed. */
  status: "idle" | "running" | "done" | "stopped" | "error";
  /** One answer per model asked, in the order they answer. */
  answers: PlaygroundAnswer[];
  /** The seed the answers shown were sampled with. */
  askedSeed?: number;
  /** The Python worker's boot during the ask: "booting" while a call waits for Pyodide to start. */
  python?: PythonBootState;
};

const initialState: PlaygroundState = {
  settings: DEFAULT_PLAYGROUND,
  question: "",
  compare: false,
  status: "idle",
  answers: [],
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

export function setCompare(compare: boolean): void {
  usePlaygroundStore.setState({ compare });
}

/** What the worker says it keeps; answers already shown keep the title they were asked under. */
export function setAdapter(adapter: PlaygroundAdapter | undefined): void {
  usePlaygroundStore.setState({ adapter });
}

/** The heading of a model's answer. */
export function answerTitle(model: PlaygroundModel, adapter: PlaygroundAdapter | undefined): string {
  return model === "adapter" && adapter ? `Trained adapter (${adapter.runId}, step ${adapter.step})` : "Base model";
}

/** Who answers the next question, in order: the adapter when there is one (then the base model, when comparing), else the base model. */
export function modelsToAsk(s: Pick<PlaygroundState, "adapter" | "compare">): PlaygroundModel[] {
  if (!s.adapter) return ["base"];
  return s.compare ? ["adapter", "base"] : ["adapter"];
}

/** A new ask: one empty answer per model, all waiting, and the seed they are sampled with. */
export function startAsk(models: PlaygroundModel[]): void {
  usePlaygroundStore.setState((s) => ({
    status: "running",
    answers: models.map((model) => ({ model, title: answerTitle(model, s.adapter), status: "waiting", rollout: EMPTY_ROLLOUT })),
    askedSeed: s.settings.seed,
    python: undefined,
  }));
}

function updateAnswer(model: PlaygroundModel, update: (a: PlaygroundAnswer) => Partial<PlaygroundAnswer>): void {
  usePlaygroundStore.setState((s) => ({ answers: s.answers.map((a) => (a.model === model ? { ...a, ...update(a) } : a)) }));
}

/** `model` starts writing its answer. */
export function startAnswer(model: PlaygroundModel): void {
  updateAnswer(model, () => ({ status: "running" }));
}

/** "Sample again": the next seed, so the same question gets a new sample (at temperature 0 it cannot differ). */
export function nextSeed(): void {
  usePlaygroundStore.setState((s) => ({ settings: { ...s.settings, seed: (s.settings.seed + 1) >>> 0 } }));
}

/** Folds a batch of rollout events (one rollout: the Playground asks for one at a time) into `model`'s answer. */
export function applyRolloutEvents(model: PlaygroundModel, events: RolloutEvent[]): void {
  updateAnswer(model, (a) => ({ rollout: foldRolloutEvents(a.rollout, events) }));
}

export function finishAnswer(model: PlaygroundModel, trace: Trace): void {
  updateAnswer(model, () => ({ status: "done", trace }));
}

/** `model`'s answer ends without a trace: stopped (what was streamed stays), or failed with `message`. */
export function failAnswer(model: PlaygroundModel, message: string, stopped = false): void {
  updateAnswer(model, () => ({ status: stopped ? "stopped" : "error", error: message }));
}

/** The Python worker's boot state, as the worker reports it during an answer. */
export function setPythonState(python: PythonBootState): void {
  usePlaygroundStore.setState({ python });
}

/** Every model asked has answered (or not): the ask's status follows from theirs. */
export function endAsk(): void {
  usePlaygroundStore.setState((s) => ({
    status: s.answers.some((a) => a.status === "error") ? "error" : s.answers.some((a) => a.status !== "done") ? "stopped" : "done",
    python: undefined,
  }));
}
