// The format reward's check (TAPO.md §3): a response (the text after the prompt)
// must be a sequence of allowed blocks with only whitespace between them, no block
// inside another, every block closed, tool output only right after a tool call,
// and exactly one <answer> block, the last thing in the text.
import type { RolloutFormat } from "../protocol/format";

/**
 * The tag names (without angle brackets) a format's blocks use. `calls` are the tool-call blocks;
 * `response` wraps tool output (forced, its inner text is not checked); `control` strings (chat turn
 * markers) count as whitespace; `freeText` allows plain text between blocks (for the function-calling
 * style, which reasons in plain text), though never after the answer.
 */
export type FormatTags = {
  think: string;
  calls: string[];
  response: string;
  answer: string;
  control?: string[];
  freeText?: boolean;
};

/** TAPO: <think>, <search>, <code>, tool output in <response>, <answer>. */
export const TAPO_TAGS: FormatTags = { think: "think", calls: ["search", "code"], response: "response", answer: "answer" };

/** Search-R1: <think>, <search>, tool output in <information>, <answer>; no <code>. */
export const SEARCH_R1_TAGS: FormatTags = { think: "think", calls: ["search"], response: "information", answer: "answer" };

function tagName(open: string): string {
  return open.replace(/^</, "").replace(/>$/, "");
}

/** The FormatTags of a rollout preset (src/rollout/formats.json); json tool calls allow free text. */
export function formatTagsOf(format: RolloutFormat): FormatTags {
  return {
    think: tagName(format.think.open),
    calls: format.calls.map((c) => tagName(c.open)),
    response: tagName(format.response.open),
    answer: tagName(format.answer.open),
    control: format.control,
    freeText: format.calls.some((c) => c.json === true),
  };
}

/** One block found in a response: its tag name, inner text, and where it lies (`start` at "<", `end` past the closing ">"). */
export type Block = { tag: string; inner: string; start: number; end: number };

/** The check's verdict: the blocks in order, or the first problem and the character offset it is at. */
export type FormatVerdict = { ok: true; blocks: Block[] } | { ok: false; reason: string; at: number };

function blanked(text: string, control: string[]): string {
  let out = text;
  for (const c of control) if (c.length > 0) out = out.replaceAll(c, " ".repeat(c.length));
  return out;
}

function preview(s: string): string {
  const t = s.trim();
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
}

/**
 * Checks `response` (the rollout text after the prompt, tool output included) against `tags`.
 * Fails on: non-whitespace text outside blocks (unless `freeText`), a closing tag with no opening
 * one, a block never closed, an allowed tag inside a policy block (nesting), a response block that
 * does not directly follow a tool call (the policy wrote it), anything but whitespace after the
 * answer, and a response that does not end with an answer block. Tags are matched exactly (case
 * included); the inner text of a response block is tool output and is not checked.
 */
export function checkFormat(response: string, tags: FormatTags = TAPO_TAGS): FormatVerdict {
  const text = blanked(response, tags.control ?? []);
  const names = [tags.think, ...tags.calls, tags.response, tags.answer];
  const marks = names.flatMap((n) => [`<${n}>`, `</${n}>`]);
  const blocks: Block[] = [];
  const fail = (reason: string, at: number): FormatVerdict => ({ ok: false, reason, at });
  let pos = 0;
  for (;;) {
    let at = -1;
    let mark = "";
    for (const m of marks) {
      const i = text.indexOf(m, pos);
      if (i >= 0 && (at < 0 || i < at)) [at, mark] = [i, m];
    }
    const gap = text.slice(pos, at < 0 ? text.length : at);
    const answered = blocks.at(-1)?.tag === tags.answer;
    if (gap.trim().length > 0 && (answered || !tags.freeText)) {
      const where = pos + (gap.length - gap.trimStart().length);
      return fail(`text ${answered ? "after the answer" : "outside any block"} at character ${where}: ${preview(gap)}`, where);
    }
    if (at < 0) break;
    if (answered) return fail(`a ${mark} after the answer at character ${at}: the answer must end the response`, at);
    if (mark.startsWith("</")) return fail(`a stray ${mark} at character ${at} closes no open block`, at);
    const name = mark.slice(1, -1);
    const close = `</${name}>`;
    const innerStart = at + mark.length;
    const closeAt = text.indexOf(close, innerStart);
    if (closeAt < 0) return fail(`the ${mark} block at character ${at} is never closed`, at);
    const inner = text.slice(innerStart, closeAt);
    if (name === tags.response) {
      const prev = blocks.at(-1);
      if (prev === undefined || !tags.calls.includes(prev.tag)) {
        return fail(`a ${mark} block at character ${at} that no tool call asked for: only the runtime writes tool output`, at);
      }
    } else {
      for (const m of marks) {
        const i = inner.indexOf(m);
        if (i >= 0) return fail(`${m} inside the ${mark} block at character ${at}: blocks cannot nest`, innerStart + i);
      }
    }
    blocks.push({ tag: name, inner: response.slice(innerStart, closeAt), start: at, end: closeAt + close.length });
    pos = closeAt + close.length;
  }
  if (blocks.at(-1)?.tag !== tags.answer) {
    return fail(`the response does not end with an <${tags.answer}> block`, response.length);
  }
  return { ok: true, blocks };
}

/** The number of tool calls in `response`: closing tags of call blocks (closed calls are what the runtime runs). */
export function countToolCalls(response: string, tags: FormatTags = TAPO_TAGS): number {
  let n = 0;
  for (const call of tags.calls) n += response.split(`</${call}>`).length - 1;
  return n;
}
