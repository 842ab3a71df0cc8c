// Events the rollout loop streams while it runs: plain serialisable objects
// (they cross from the trainer worker to the UI), each naming its rollout by
// question and sample index.
import type { ToolName } from "./tools";

/** Why a rollout stopped: its answer, the policy-token (or context) budget, an end-of-turn token, or a tool call after the last allowed one. */
export type FinishReason = "answer" | "length" | "eos" | "max_turns";

/** Which rollout an event is about: question `questionIndex`, sample `sampleIndex` of its group. */
export type RolloutKey = { questionIndex: number; sampleIndex: number };

export type RolloutEvent =
  | (RolloutKey & { type: "start"; promptTokens: number })
  /** New text: `count` tokens the policy sampled, or forced ones (a tool response, a corrective message). */
  | (RolloutKey & { type: "tokens"; origin: "policy" | "forced"; text: string; count: number })
  /** Tool call number `call` (0-based within the rollout) began. */
  | (RolloutKey & { type: "tool_start"; call: number; tool: ToolName; text: string })
  /** Tool call number `call` returned `response` (before truncation to the token budget). */
  | (RolloutKey & { type: "tool_end"; call: number; tool: ToolName; response: string; ms: number; error?: string })
  | (RolloutKey & { type: "finish"; finish: FinishReason; policyTokens: number; forcedTokens: number; turns: number; toolCalls: number });

/** Receives rollout events as they happen. */
export type RolloutEventSink = (event: RolloutEvent) => void;
