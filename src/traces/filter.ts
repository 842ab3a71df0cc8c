// Filters for the Traces page: correct or not, used search, used code, training step (one or a
// range, typed as text) and a text query over the question, gold answers and segments.
import type { Trace } from "../protocol/trace";

export type Tristate = "any" | "yes" | "no";

export type TraceFilter = {
  outcome: "all" | "correct" | "incorrect" | "unscored";
  usedSearch: Tristate;
  usedCode: Tristate;
  /** As typed: "" (any), "3", "2-5", "2..5", "4-" (from 4), "-5" (up to 5). */
  step: string;
  /** Case-insensitive text to find in the question, gold answers or any segment. */
  query: string;
};

export const NO_FILTER: TraceFilter = { outcome: "all", usedSearch: "any", usedCode: "any", step: "", query: "" };

/** Inclusive step bounds; a missing bound is open. */
export type StepRange = { min?: number; max?: number };

export type StepRangeParse = { ok: true; range: StepRange } | { ok: false; message: string };

/** The step range `text` asks for ("" is every step), or why it cannot be read. */
export function parseStepRange(text: string): StepRangeParse {
  const t = text.trim();
  if (t === "") return { ok: true, range: {} };
  const exact = /^\d+$/.exec(t);
  if (exact) return { ok: true, range: { min: Number(t), max: Number(t) } };
  const range = /^(\d*)\s*(?:-|–|\.\.)\s*(\d*)$/.exec(t);
  if (range && (range[1] !== "" || range[2] !== "")) {
    const min = range[1] === "" ? undefined : Number(range[1]);
    const max = range[2] === "" ? undefined : Number(range[2]);
    if (min !== undefined && max !== undefined && min > max) {
      return { ok: false, message: `the range ${t} starts after it ends: write the smaller step first, as in ${max}-${min}` };
    }
    return { ok: true, range: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } };
  }
  return { ok: false, message: `"${t}" is not a step: write one step (3), a range (2-5), from a step on (4-) or up to one (-5)` };
}

export function usesSearch(trace: Trace): boolean {
  return trace.segments.some((s) => s.kind === "search");
}

export function usesCode(trace: Trace): boolean {
  return trace.segments.some((s) => s.kind === "code");
}

const haystacks = new WeakMap<Trace, string>();

/** All of a trace's searchable text, lower-cased (cached per trace object). */
function haystack(trace: Trace): string {
  let text = haystacks.get(trace);
  if (text === undefined) {
    text = [trace.question, ...(trace.gold ?? []), ...trace.segments.map((s) => s.text)].join("\n").toLowerCase();
    haystacks.set(trace, text);
  }
  return text;
}

function tristate(want: Tristate, has: () => boolean): boolean {
  return want === "any" || (want === "yes") === has();
}

/** A predicate for `filter`; an unreadable step text filters nothing (the page shows why). */
export function traceMatcher(filter: TraceFilter): (trace: Trace) => boolean {
  const step = parseStepRange(filter.step);
  const range: StepRange = step.ok ? step.range : {};
  const query = filter.query.trim().toLowerCase();
  return (trace) => {
    const correct = trace.reward?.correct;
    if (filter.outcome === "correct" && correct !== true) return false;
    if (filter.outcome === "incorrect" && correct !== false) return false;
    if (filter.outcome === "unscored" && correct !== undefined) return false;
    if (!tristate(filter.usedSearch, () => usesSearch(trace))) return false;
    if (!tristate(filter.usedCode, () => usesCode(trace))) return false;
    if (range.min !== undefined || range.max !== undefined) {
      if (trace.step === undefined) return false;
      if (range.min !== undefined && trace.step < range.min) return false;
      if (range.max !== undefined && trace.step > range.max) return false;
    }
    return query === "" || haystack(trace).includes(query);
  };
}

/** The positions in `traces` of those that pass `filter`, in order. */
export function filterTraceIndices(traces: readonly Trace[], filter: TraceFilter): number[] {
  const matches = traceMatcher(filter);
  const out: number[] = [];
  for (let i = 0; i < traces.length; i++) if (matches(traces[i]!)) out.push(i);
  return out;
}
