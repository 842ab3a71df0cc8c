// Rollout format presets (the table lives in formats.json): how the policy marks
// reasoning, tool calls and its answer, how tool output is wrapped back into the
// sequence, the corrective message after an invalid turn, and the prompt (system
// rules with one worked example, then the question) rendered by the tokenizer's
// chat template with the generation prompt.
import type { CallTag, FormatName, RolloutFormat } from "../protocol/format";
import type { ToolCall } from "../protocol/tools";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import table from "./formats.json";

export const FORMAT_NAMES: FormatName[] = Object.keys(table) as FormatName[];

/** Thrown for a format name the table does not hold. */
export class UnknownFormatError extends Error {
  constructor(name: string) {
    super(`unknown rollout format "${name}": pick one of ${FORMAT_NAMES.join(", ")}`);
    this.name = "UnknownFormatError";
  }
}

/** The numbers a question states, in order ("What is 512 + 389?" → ["512", "389"]): the tiny format's `nums`. */
export function questionNumbers(question: string): string[] {
  return question.match(/\d+(?:\.\d+)?/g) ?? [];
}

/** The Python code a call runs: with `pythonNums`, `nums = [...]` (the question's numbers) on a line before the model's code. */
export function pythonCodeToRun(format: RolloutFormat, question: string, code: string): string {
  return format.pythonNums ? `nums = [${questionNumbers(question).join(", ")}]\n${code}` : code;
}

/** The preset called `name` (throws UnknownFormatError). */
export function getFormat(name: string): RolloutFormat {
  const entry = (table as Record<string, Omit<RolloutFormat, "name">>)[name];
  if (entry === undefined) throw new UnknownFormatError(name);
  return { name: name as FormatName, ...entry };
}

/** The system prompt text of `format` for a limit of `maxTurns` tool calls. */
export function systemPrompt(format: RolloutFormat, maxTurns: number): string {
  return format.system.join("\n").replaceAll("{maxTurns}", String(maxTurns));
}

/** The rendered prompt (system + user + generation prompt) and its token ids (length P). */
export function renderPrompt(
  format: RolloutFormat,
  question: string,
  tokenizer: QwenTokenizer,
  maxTurns: number,
): { text: string; ids: number[] } {
  const text = tokenizer.applyChatTemplate(
    [
      { role: "system", content: systemPrompt(format, maxTurns) },
      { role: "user", content: format.user.replaceAll("{question}", question) },
    ],
    { addGenerationPrompt: true, tools: format.toolSchemas },
  );
  return { text, ids: tokenizer.encode(text, { addSpecialTokens: false }) };
}

/**
 * The forced text to append after a policy turn whose last token carried `tail` (characters past
 * the closing tag, e.g. "\n\n" of a ">\n\n" token): `wrapped`, less the part of its start the tail
 * already wrote, so "…</search>\n\n" + "<response>…" reads as the canonical "\n\n<response>".
 */
export function forcedAfterTail(wrapped: string, tail: string): string {
  return tail.length > 0 && wrapped.startsWith(tail) ? wrapped.slice(tail.length) : wrapped;
}

/** The forced text that carries a tool's (already truncated) output. */
export function wrapResponse(format: RolloutFormat, output: string): string {
  return format.response.before + output + format.response.after;
}

/**
 * `text` cut to at most `budget` tokens at a token boundary (never splitting a character); returns
 * the text and whether it was cut.
 */
export function truncateToTokens(text: string, budget: number, tokenizer: QwenTokenizer): { text: string; cut: boolean } {
  const ids = tokenizer.encode(text, { addSpecialTokens: false });
  if (ids.length <= budget) return { text, cut: false };
  let kept = tokenizer.decode(ids.slice(0, Math.max(0, budget)));
  while (kept.endsWith("\uFFFD") && !text.startsWith(kept)) kept = kept.slice(0, -1);
  return { text: kept, cut: true };
}

/**
 * The tool call a closed call block holds (`inner`: the text between its tags), or the reason it is
 * invalid: an empty block, JSON that does not parse, an unknown function or a missing argument.
 */
export function parseCall(format: RolloutFormat, tag: CallTag, inner: string): ToolCall | { invalid: string } {
  const text = inner.trim();
  if (!tag.json) {
    if (tag.tool === undefined) return { invalid: `the ${tag.open} tag names no tool` };
    if (!format.tools.includes(tag.tool)) return { invalid: `${tag.tool} is not offered` };
    return text.length > 0 ? { tool: tag.tool, text } : { invalid: `empty ${tag.open} block` };
  }
  let call: unknown;
  try {
    call = JSON.parse(text);
  } catch {
    return { invalid: "the tool call is not JSON" };
  }
  const { name, arguments: args } = (call ?? {}) as { name?: unknown; arguments?: unknown };
  const fn = typeof name === "string" ? format.functions?.[name] : undefined;
  if (fn === undefined) return { invalid: `unknown function ${JSON.stringify(name)}` };
  const value = args !== null && typeof args === "object" ? (args as Record<string, unknown>)[fn.argument] : undefined;
  if (typeof value !== "string" || value.trim().length === 0) {
    return { invalid: `function ${String(name)} needs a string argument "${fn.argument}"` };
  }
  return { tool: fn.tool, text: value };
}
