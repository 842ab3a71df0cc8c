// One rollout as the UI streams it: its text so far, kept as chunks with their
// origin (sampled by the policy, or forced: tool output and corrective
// messages), token counts, tool calls and how it finished. Pure functions that
// fold batches of RolloutEvents into it, shared by the Playground and the Train page.
import type { FinishReason, RolloutEvent } from "../../protocol/rollout_events";
import type { RolloutFormat } from "../../protocol/format";
import { parseSegments } from "../../rollout/segments";
import type { Segment } from "../../protocol/trace";

/** A run of text that came from one origin. */
export type OriginChunk = { origin: "policy" | "forced"; text: string };

export type ToolCallView = { tool: string; text: string; ms?: number; error?: string; done: boolean };

export type LiveRollout = {
  /** The response text so far (policy and forced tokens, in order). */
  text: string;
  /** The same text, split where the origin changes (neighbours of one origin merged). */
  chunks: OriginChunk[];
  policyTokens: number;
  forcedTokens: number;
  promptTokens?: number;
  toolCalls: ToolCallView[];
  finish?: FinishReason;
};

export const EMPTY_ROLLOUT: LiveRollout = Object.freeze({ text: "", chunks: [], policyTokens: 0, forcedTokens: 0, toolCalls: [] }) as LiveRollout;

/**
 * `rollout` with `events` applied, in order; the events must all be about this rollout. Returns a
 * new object (the arrays it changes are copied once), so selectors see the change.
 */
export function foldRolloutEvents(rollout: LiveRollout, events: readonly RolloutEvent[]): LiveRollout {
  const next: LiveRollout = { ...rollout, chunks: rollout.chunks, toolCalls: rollout.toolCalls };
  let chunksCopied = false;
  let callsCopied = false;
  for (const e of events) {
    switch (e.type) {
      case "start":
        next.promptTokens = e.promptTokens;
        break;
      case "tokens": {
        if (e.text.length === 0 && e.count === 0) break;
        next.text += e.text;
        if (e.origin === "policy") next.policyTokens += e.count;
        else next.forcedTokens += e.count;
        if (!chunksCopied) {
          next.chunks = [...next.chunks];
          chunksCopied = true;
        }
        const last = next.chunks.at(-1);
        if (last && last.origin === e.origin) next.chunks[next.chunks.length - 1] = { origin: e.origin, text: last.text + e.text };
        else next.chunks.push({ origin: e.origin, text: e.text });
        break;
      }
      case "tool_start":
      case "tool_end": {
        if (!callsCopied) {
          next.toolCalls = [...next.toolCalls];
          callsCopied = true;
        }
        if (e.type === "tool_start") next.toolCalls[e.call] = { tool: e.tool, text: e.text, done: false };
        else {
          const prev = next.toolCalls[e.call];
          next.toolCalls[e.call] = { tool: e.tool, text: prev?.text ?? "", ms: e.ms, ...(e.error ? { error: e.error } : {}), done: true };
        }
        break;
      }
      case "finish":
        next.finish = e.finish;
        next.policyTokens = e.policyTokens;
        next.forcedTokens = e.forcedTokens;
        break;
    }
  }
  return next;
}

/**
 * The rollout's text as Trace segments (parseSegments), with each tool response given the time
 * and error of its call, in order, once the call has returned.
 */
export function liveSegments(rollout: Pick<LiveRollout, "text" | "toolCalls">, format: RolloutFormat): Segment[] {
  const segments = parseSegments(rollout.text, format);
  let call = 0;
  return segments.map((s) => {
    if (s.kind !== "response" || s.tool === "none") return s;
    const done = rollout.toolCalls[call++];
    if (!done?.done) return s;
    return { ...s, ...(done.ms !== undefined ? { ms: done.ms } : {}), ...(done.error ? { error: done.error } : {}) };
  });
}
