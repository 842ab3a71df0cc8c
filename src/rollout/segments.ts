// Pure text functions of the rollout loop: finding the closing tag that ends a
// turn, and splitting a rollout's text into Trace segments (think, search,
// code, response, answer, and stray text), malformed text included.
import { parseCall } from "./formats";
import { type CallTag, type RolloutFormat } from "../protocol/format";
import type { Segment } from "../protocol/trace";

/** A closing tag that ends a turn: a tool call's (with its tag) or the answer's. */
export type StopTag = { kind: "call"; tag: CallTag } | { kind: "answer" };

/** Where a closing tag was found: `start` of the tag and `end` just past it. */
export type StopMatch = StopTag & { start: number; end: number };

/** The closing tags that end a turn in `format`, in the order they are checked: the calls', then the answer's. */
export function stopTags(format: RolloutFormat): StopTag[] {
  return [...format.calls.map((tag) => ({ kind: "call" as const, tag })), { kind: "answer" as const }];
}

function closeOf(format: RolloutFormat, stop: StopTag): string {
  return stop.kind === "call" ? stop.tag.close : format.answer.close;
}

/**
 * The closing tag that ends the turn whose text is `text`, looking only at tags that end at or
 * after `from` (the text before `from` was checked already and held none). Several tags can end in
 * the newly decoded text; the first in `stopTags` order wins (</search>, </code>, then </answer> for
 * TAPO), as stop strings are checked in list order. Undefined when none is there.
 */
export function findStopTag(text: string, from: number, format: RolloutFormat): StopMatch | undefined {
  for (const stop of stopTags(format)) {
    const close = closeOf(format, stop);
    const start = text.indexOf(close, Math.max(0, from - close.length + 1));
    if (start >= 0) return { ...stop, start, end: start + close.length };
  }
  return undefined;
}

/** The text between a closing tag at `closeStart` and the last opening tag `open` before it, or undefined without one. */
export function blockInner(text: string, open: string, closeStart: number): string | undefined {
  const at = text.lastIndexOf(open, closeStart - open.length);
  return at < 0 ? undefined : text.slice(at + open.length, closeStart);
}

/** A block's tags and how its inner text becomes a segment; `isResponse`: the runtime's tool response, never cut short. */
type Opener = { open: string; close: string; make: (inner: string, closed: boolean) => Segment; isResponse?: boolean };

/** Every block that opens with a tag in `format`, with how its inner text becomes a segment. */
function openers(format: RolloutFormat): Opener[] {
  const { response } = format;
  // Whitespace the wrapper itself puts inside the response tags ("\n" for Qwen's tool turns).
  const innerLead = response.before.slice(response.before.indexOf(response.open) + response.open.length);
  const innerTrail = response.after.slice(0, Math.max(0, response.after.indexOf(response.close)));
  const list: Opener[] = [
    { ...format.think, make: (inner) => ({ kind: "think", text: inner.trim() }) },
    { ...format.answer, make: (inner) => ({ kind: "answer", text: inner.trim() }) },
    {
      open: response.open,
      close: response.close,
      isResponse: true,
      make: (inner) => {
        let text = innerLead.length > 0 && inner.startsWith(innerLead) ? inner.slice(innerLead.length) : inner;
        if (innerTrail.length > 0 && text.endsWith(innerTrail)) text = text.slice(0, -innerTrail.length);
        return { kind: "response", tool: "none", text };
      },
    },
  ];
  for (const tag of format.calls) {
    list.push({
      open: tag.open,
      close: tag.close,
      make: (inner, closed) => {
        const call = closed ? parseCall(format, tag, inner) : undefined;
        if (call !== undefined && "tool" in call) return { kind: call.tool === "python" ? "code" : "search", text: call.text };
        if (!tag.json && tag.tool !== undefined) return { kind: tag.tool === "python" ? "code" : "search", text: inner.trim() };
        return { kind: "text", text: tag.open + inner + (closed ? tag.close : "") };
      },
    });
  }
  return list;
}

/** The corrective message as it reads inside the text, without chat control strings. */
export function correctiveCore(format: RolloutFormat): string {
  return stripControl(format.corrective, format).trim();
}

function stripControl(text: string, format: RolloutFormat): string {
  let out = text;
  for (const c of format.control) out = out.replaceAll(c, "");
  return out;
}

/**
 * Splits a rollout's text (what follows the prompt) into segments, in order: blocks of the format's
 * tags become think/search/code/answer/response segments (json tool calls become search or code by
 * their function; a bad one stays text), the corrective message becomes a response of tool "none",
 * anything else between blocks becomes a text segment (trimmed; whitespace and chat control strings
 * alone give none). A block left open at the end (a rollout cut by length) gives a segment of its
 * kind with the text so far. A block ends early where the runtime acted inside it (a call or answer
 * that closed first, a tool response, the corrective message), so none of these is swallowed by an
 * unclosed think; a tag only named inside a block cuts nothing. A response segment names the tool of the call just before it.
 */
export function parseSegments(text: string, format: RolloutFormat): Segment[] {
  // A block needs an opening tag to be found by; a format with empty ones (tests) marks none.
  const list = openers(format).filter((o) => o.open.length > 0);
  const corrective = correctiveCore(format);
  const segments: Segment[] = [];
  const pushText = (raw: string) => {
    const t = stripControl(raw, format).trim();
    if (t.length > 0) segments.push({ kind: "text", text: t });
  };
  let pos = 0;
  while (pos < text.length) {
    let best: { at: number; opener?: Opener } | undefined;
    for (const opener of list) {
      const at = text.indexOf(opener.open, pos);
      if (at >= 0 && (best === undefined || at < best.at)) best = { at, opener };
    }
    const corrAt = corrective.length > 0 ? text.indexOf(corrective, pos) : -1;
    if (corrAt >= 0 && (best === undefined || corrAt < best.at)) best = { at: corrAt };
    if (best === undefined) {
      pushText(text.slice(pos));
      break;
    }
    pushText(text.slice(pos, best.at));
    if (best.opener === undefined) {
      segments.push({ kind: "response", tool: "none", text: corrective });
      pos = best.at + corrective.length;
      continue;
    }
    const { opener } = best;
    const innerStart = best.at + opener.open.length;
    // A block ends at its closing tag, unless the runtime acted first inside it (see runtimeCut): that call,
    // response, correction or answer is a segment of its own, and the block was left unclosed. Tool
    // responses are the runtime's own text, always closed, and never cut.
    const closeAt = text.indexOf(opener.close, innerStart);
    const cut = opener.isResponse ? -1 : runtimeCut(text, innerStart, closeAt, list, corrective);
    const closed = closeAt >= 0 && (cut < 0 || closeAt <= cut);
    const end = closed ? closeAt : cut >= 0 ? cut : text.length;
    const segment = opener.make(text.slice(innerStart, end), closed);
    if (segment.kind === "response") {
      const prev = segments.at(-1);
      const tool = prev?.kind === "search" ? "search" : prev?.kind === "code" ? "python" : "none";
      segments.push({ ...segment, tool });
    } else if (segment.kind !== "text" || segment.text.length > 0) {
      segments.push(segment);
    }
    pos = closed ? closeAt + opener.close.length : end;
  }
  return segments;
}

/**
 * Where the runtime acted inside a block opened at `from` whose own close is at `closeAt` (-1: none), or -1:
 * the corrective message, a tool response, or a block opened there that closes before the outer one does
 * (its closing tag ended a turn: a call ran, or the answer ended the rollout). A tag merely named inside a
 * block ("I must use <search>") closes later or never, and cuts nothing.
 */
function runtimeCut(text: string, from: number, closeAt: number, list: Opener[], corrective: string): number {
  const before = (at: number) => at >= 0 && (closeAt < 0 || at < closeAt);
  let first = corrective.length > 0 ? text.indexOf(corrective, from) : -1;
  if (!before(first)) first = -1;
  for (const o of list) {
    const at = text.indexOf(o.open, from);
    if (!before(at)) continue;
    const acted = o.isResponse || before(text.indexOf(o.close, at + o.open.length));
    if (acted && (first < 0 || at < first)) first = at;
  }
  return first;
}
