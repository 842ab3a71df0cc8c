// Reads a traces.jsonl file the user opened: refuses one over
// MAX_TRACES_FILE_BYTES before reading a byte, then streams it line by line,
// so the file's text is never held whole next to the traces parsed from it.

import { formatBytes } from "../util/format_bytes";
import { addTracesLine, type TracesJsonl } from "./jsonl";

/**
 * The largest traces file the Traces page opens. A trace is a few KB to a few tens of KB (a question, up to a few
 * thousand generated tokens, tool output), so this holds ten thousand or more traces, while the parsed traces
 * (two to three times the text in memory) still fit a browser tab.
 */
export const MAX_TRACES_FILE_BYTES = 256 * 2 ** 20;

/** A traces file over MAX_TRACES_FILE_BYTES; the message names the cap and how to open part of the file. */
export class TracesFileTooLargeError extends Error {
  constructor(name: string, bytes: number) {
    super(
      `${name} is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(MAX_TRACES_FILE_BYTES)} limit for a traces file opened here. ` +
        `Open part of it, e.g. the last 5000 traces: \`tail -n 5000 ${name} > last.jsonl\`.`,
    );
    this.name = "TracesFileTooLargeError";
  }
}

/**
 * The traces in a file (a File or Blob), read as a stream; blank lines are ignored, bad lines are listed with
 * their 1-based numbers, as parseTracesJsonl does for text.
 * @throws TracesFileTooLargeError before reading when the file is over MAX_TRACES_FILE_BYTES.
 */
export async function readTracesFile(file: Pick<Blob, "size" | "stream">, name: string): Promise<TracesJsonl> {
  if (file.size > MAX_TRACES_FILE_BYTES) throw new TracesFileTooLargeError(name, file.size);
  const result: TracesJsonl = { traces: [], skipped: [] };
  const decoder = new TextDecoder();
  const reader = file.stream().getReader();
  let carry = "";
  let line = 0;
  const take = (text: string) => addTracesLine(result, text, ++line);
  const push = (chunk: string) => {
    const parts = chunk.split("\n");
    if (parts.length === 1) {
      carry += chunk;
      return;
    }
    take(carry + parts[0]!);
    for (let i = 1; i < parts.length - 1; i++) take(parts[i]!);
    carry = parts[parts.length - 1]!;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
  push(decoder.decode());
  take(carry);
  return result;
}
