// Reads a Trace from parsed JSON (a permalink, a line of traces.jsonl): a structural check of
// every field's type, and a trace from a newer TAPO Studio told apart from one that is simply broken.
import type { Trace } from "../protocol/trace";

const TEXT_KINDS = new Set(["think", "answer", "text", "search", "code"]);
const TOOLS = new Set(["search", "python", "none"]);

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Why `segment` is not a valid Segment, or undefined when it is. */
function segmentProblem(segment: unknown, i: number): string | undefined {
  if (segment === null || typeof segment !== "object") return `segment ${i} is not an object`;
  const s = segment as Record<string, unknown>;
  if (typeof s.text !== "string") return `segment ${i} has no text`;
  if (s.kind === "response") {
    if (!TOOLS.has(s.tool as string)) return `segment ${i} (response) names tool ${JSON.stringify(s.tool)}`;
    if (s.ms !== undefined && !isFiniteNumber(s.ms)) return `segment ${i} has a non-numeric ms`;
    if (s.error !== undefined && typeof s.error !== "string") return `segment ${i} has a non-string error`;
    return undefined;
  }
  return TEXT_KINDS.has(s.kind as string) ? undefined : `segment ${i} has kind ${JSON.stringify(s.kind)}`;
}

/**
 * Why `value` is not a Trace v1 (the first problem found), or undefined when it is one. Checks
 * every field's type, not that the text makes sense.
 */
export function traceProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "the trace is not a JSON object";
  const t = value as Record<string, unknown>;
  if (t.v !== 1) return `the trace is version ${JSON.stringify(t.v)}, not 1`;
  if (typeof t.model !== "string") return "the trace names no model";
  if (typeof t.question !== "string") return "the trace has no question";
  if (typeof t.created !== "string" || Number.isNaN(Date.parse(t.created))) return "the trace has no ISO 8601 creation time";
  if (t.step !== undefined && !Number.isInteger(t.step)) return "the trace's step is not an integer";
  if (t.gold !== undefined && !(Array.isArray(t.gold) && t.gold.every((g) => typeof g === "string"))) {
    return "the trace's gold answers are not a list of strings";
  }
  if (!Array.isArray(t.segments)) return "the trace has no segments";
  for (let i = 0; i < t.segments.length; i++) {
    const problem = segmentProblem(t.segments[i], i);
    if (problem !== undefined) return problem;
  }
  if (t.tokens !== undefined) {
    const k = t.tokens as Record<string, unknown>;
    if (k === null || !Number.isInteger(k.policy) || !Number.isInteger(k.forced)) return "the trace's token counts are not integers";
  }
  if (t.reward !== undefined) {
    const r = t.reward as Record<string, unknown>;
    if (r === null || !isFiniteNumber(r.total) || typeof r.correct !== "boolean" || typeof r.format !== "boolean" || !isFiniteNumber(r.overlong)) {
      return "the trace's reward lacks total, correct, format or overlong";
    }
    if (r.tool !== undefined && !isFiniteNumber(r.tool)) return "the trace's tool reward is not a number";
  }
  return undefined;
}


export type TraceCheck = { ok: true; trace: Trace } | { ok: false; kind: "newer-version" | "not-trace"; message: string };

/** `value` as a Trace v1, or why it is not one. */
export function checkTrace(value: unknown): TraceCheck {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const v = (value as { v?: unknown }).v;
    if (typeof v === "number" && Number.isInteger(v) && v > 1) {
      return {
        ok: false,
        kind: "newer-version",
        message: `the trace is format version ${v}, made by a newer TAPO Studio; this one reads version 1. Open it in an up-to-date TAPO Studio.`,
      };
    }
  }
  const problem = traceProblem(value);
  if (problem !== undefined) return { ok: false, kind: "not-trace", message: `it is not a TAPO trace (v1): ${problem}` };
  return { ok: true, trace: value as Trace };
}
