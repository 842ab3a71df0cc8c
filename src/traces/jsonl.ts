// Reads traces.jsonl (one Trace v1 per line, as `tapo train --out` writes it): keeps the good
// lines, and says which lines were skipped and why, instead of failing on the first bad one.
import type { Trace } from "../protocol/trace";
import { checkTrace } from "./trace_check";

export type SkippedLine = { line: number; reason: string };
export type TracesJsonl = { traces: Trace[]; skipped: SkippedLine[] };

/** Adds one line (its 1-based number `n`) to `into`: a trace, a skipped line, or nothing when blank. */
export function addTracesLine(into: TracesJsonl, text: string, n: number): void {
  const line = text.trim();
  if (line === "") return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    into.skipped.push({ line: n, reason: "not JSON" });
    return;
  }
  const check = checkTrace(value);
  if (check.ok) into.traces.push(check.trace);
  else into.skipped.push({ line: n, reason: check.message });
}

/** The traces in `text`; blank lines are ignored, bad lines are listed with their 1-based numbers. */
export function parseTracesJsonl(text: string): TracesJsonl {
  const result: TracesJsonl = { traces: [], skipped: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) addTracesLine(result, lines[i]!, i + 1);
  return result;
}

/** One sentence for the user about a loaded file: how many traces, which lines were skipped (the first few). */
export function describeLoad(fileName: string, result: TracesJsonl, shown = 5): string {
  const loaded = `Loaded ${result.traces.length} trace${result.traces.length === 1 ? "" : "s"} from ${fileName}`;
  if (result.skipped.length === 0) return `${loaded}.`;
  const listed = result.skipped
    .slice(0, shown)
    .map((s) => `line ${s.line}: ${s.reason}`)
    .join("; ");
  const more = result.skipped.length > shown ? `; and ${result.skipped.length - shown} more` : "";
  return `${loaded}; skipped ${result.skipped.length} bad line${result.skipped.length === 1 ? "" : "s"} (${listed}${more}).`;
}
