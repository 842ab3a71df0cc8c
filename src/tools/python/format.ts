// What the model sees in <response>…</response> after a Python call: stdout,
// cut in the middle to the character cap with a marker saying how much went;
// on errors, the error text (exception type, message, last traceback lines)
// after it; the TAPO-style warning when nothing was printed; the fixed texts for
// timeouts, blocked network access and restarts. Pure functions (Node-testable).
import type { CapturedText } from "./capture.ts";

/** The short machine-readable kinds of failure a Python call can end with (ToolResult.error). */
export type PythonErrorKind =
  | "timeout"
  | "syntax"
  | "memory"
  | "recursion"
  | "network"
  | "import"
  | "exception"
  | "crash"
  | "unavailable";

/** The marker put where text was cut out. */
export function cutMarker(chars: number): string {
  return `\n[… ${chars} characters cut …]\n`;
}

/**
 * Renders captured text within `budget` characters (plus the marker), cutting
 * in the middle and counting what the capture already dropped.
 * @param captured head/tail/cut count from CappedText
 * @param budget most characters of the output kept (head half, tail half)
 */
export function renderCapped(captured: CapturedText, budget: number): string {
  const keep = Math.max(0, budget);
  let { head, tail } = captured;
  const { cutChars } = captured;
  if (cutChars === 0) {
    // Nothing dropped yet: head and tail are one text; cut it at its own middle.
    if (head.length + tail.length <= keep) return head + tail;
    const whole = head + tail;
    head = whole.slice(0, Math.ceil(keep / 2));
    tail = whole.slice(head.length);
  }
  const headKeep = Math.min(head.length, Math.ceil(keep / 2));
  const tailKeep = Math.min(tail.length, keep - headKeep);
  const cut = cutChars + (head.length - headKeep) + (tail.length - tailKeep);
  return head.slice(0, headKeep) + cutMarker(cut) + tail.slice(tail.length - tailKeep);
}

/** Cuts a plain string in the middle to `budget` characters (plus the marker). */
export function truncateMiddle(text: string, budget: number): string {
  return renderCapped({ head: text, tail: "", cutChars: 0 }, budget);
}

/** The warning returned when the code printed nothing. */
export const EMPTY_STDOUT_WARNING =
  "[Warning] The code ran without errors but printed nothing. The tool only shows what the code prints: " +
  "use print(...) to output the values you need, for example print(result).";

/** The text of a call stopped at the time limit. */
export function timeoutMessage(limitMs: number): string {
  const seconds = limitMs % 1000 === 0 ? `${limitMs / 1000} s` : `${(limitMs / 1000).toFixed(1)} s`;
  return (
    `Execution timed out after ${seconds}: the code was stopped. ` +
    "Make it faster (fewer iterations, a closed-form formula, no endless loops) and print the result."
  );
}

/** Put before the response of a session's first call after the interpreter had to be restarted. */
export const RESTART_NOTE =
  "[Note] The Python interpreter was restarted after the previous call failed; " +
  "variables and imports from earlier calls are gone and must be defined again.\n";

/** The response when the interpreter crashed or could not start. */
export function crashMessage(detail: string): string {
  return `The Python interpreter stopped unexpectedly (${detail}); it has been restarted and earlier variables are gone.`;
}

/** Everything needed to build a response. */
export type CallOutput = {
  stdout: CapturedText;
  /** The formatted error (type, message, last traceback lines) when the call failed. */
  errorText?: string;
};

/**
 * The text the model sees for one call.
 * @param output captured stdout and the error text, if any
 * @param cap the character cap of the whole response (TAPO: 2000)
 */
export function formatResponse(output: CallOutput, cap: number): string {
  const { stdout, errorText } = output;
  const printed = stdout.head.length + stdout.tail.length + stdout.cutChars > 0;
  if (errorText === undefined) return printed ? renderCapped(stdout, cap) : EMPTY_STDOUT_WARNING;
  // The error's end (exception type and message) matters most: keep it, then give stdout what is left.
  const error = errorText.length > cap ? truncateMiddle(errorText, cap) : errorText;
  if (!printed) return error;
  const room = Math.max(Math.floor(cap / 4), cap - error.length - 1);
  const out = renderCapped(stdout, room);
  return `${out}${out.endsWith("\n") ? "" : "\n"}${error}`;
}
