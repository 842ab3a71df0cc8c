// Reads a Trace from parsed JSON (a permalink, a line of traces.jsonl): tells a trace from a
// newer TAPO Studio apart from one that is simply broken.
import { type Trace, traceProblem } from "../rollout/trace";

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
