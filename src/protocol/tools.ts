// The contract between the rollout loop and the tools (Python, search): a call
// goes in as the text the policy wrote inside its tag, and what comes out is
// exactly the text the model will see inside <response>…</response>.

export type ToolName = "python" | "search";

/** One tool call as the policy wrote it: the text between <code>…</code> or <search>…</search>. */
export type ToolCall = { tool: ToolName; text: string };

export type ToolResult = {
  /** What the model sees (already truncated, formatted, with warnings or error text). */
  response: string;
  /** A short machine-readable error (timeout, syntax, network, unreachable, rejected query…), when the call failed. */
  error?: string;
  /** Wall-clock milliseconds the call took. */
  ms: number;
};

/** Runs tool calls for rollouts. `session` groups the calls of one rollout (one Python namespace per rollout). */
export interface ToolRunner {
  run(call: ToolCall, session: string, signal?: AbortSignal): Promise<ToolResult>;
  /** Forgets a rollout's state (its Python namespace). */
  endSession(session: string): Promise<void> | void;
}
