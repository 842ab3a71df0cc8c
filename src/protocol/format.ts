// The rollout format's shape: the tags a model is prompted to write and how
// tool calls and responses are wrapped. The presets and the functions that use
// them live in src/rollout/formats.ts.
import type { ToolName } from "./tools";

export type FormatName = "tapo" | "search-r1" | "qwen-native" | "tiny";

/** An opening and a closing tag. */
export type TagPair = { open: string; close: string };

/** One way to call a tool: `<search>query</search>` (tool given) or `<tool_call>{json}</tool_call>` (json: the name picks the tool). */
export type CallTag = TagPair & { tool?: ToolName; json?: boolean };

export type RolloutFormat = {
  name: FormatName;
  label: string;
  summary: string;
  /** The tools the format offers. */
  tools: ToolName[];
  think: TagPair;
  /** Tool-call tags, in the order their closing tags are checked (before the answer's). */
  calls: CallTag[];
  /** For json calls: function name → the tool and the argument that holds its text. */
  functions?: Record<string, { tool: ToolName; argument: string }>;
  /** Function schemas passed to the chat template (which lists them in the system turn). */
  toolSchemas?: unknown[];
  answer: TagPair;
  /** Tool output goes in as before + OUTPUT + after; open/close are the tags inside those. */
  response: TagPair & { before: string; after: string };
  /** Forced text after a turn with no valid block. */
  corrective: string;
  /** Chat control strings inside forced text (turn markers); not part of any segment. */
  control: string[];
  /** System prompt lines; `{maxTurns}` is replaced by the tool-call limit. */
  system: string[];
  /** User turn; `{question}` is replaced by the question. */
  user: string;
  /**
   * The tiny format's convention: the Python tool runs with the question's numbers bound as the
   * list `nums` (in order of appearance), so code states the operation (`print(nums[0] * nums[1])`)
   * and a tiny model need not copy digits. Real models' formats leave it off and copy numbers themselves.
   */
  pythonNums?: boolean;
};
