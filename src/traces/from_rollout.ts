// A finished rollout as a Trace v1 (src/protocol/trace.ts): its segments, reward
// and token counts, with the run's metadata.
import type { Trace } from "../protocol/trace";
import type { Rollout } from "../rollout/rollout_state";

/** What a trace says that the rollout does not know. */
export type TraceMeta = {
  model: string;
  question: string;
  gold?: string[];
  step?: number;
  reward?: Trace["reward"];
  /** Defaults to now. */
  created?: Date;
};

/** The Trace (v1) of a finished rollout: its segments and its policy and forced token counts (the prompt counts in neither). */
export function toTrace(rollout: Rollout, meta: TraceMeta): Trace {
  const trace: Trace = {
    v: 1,
    model: meta.model,
    question: meta.question,
    segments: rollout.segments.map((s) => ({ ...s })),
    tokens: { policy: rollout.policyTokens, forced: rollout.forcedTokens },
    created: (meta.created ?? new Date()).toISOString(),
  };
  if (meta.step !== undefined) trace.step = meta.step;
  if (meta.gold !== undefined) trace.gold = [...meta.gold];
  if (meta.reward !== undefined) trace.reward = { ...meta.reward };
  return trace;
}
