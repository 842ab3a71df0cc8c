// Caps on what a dataset import reads, checked before the bytes are read, so
// a mistaken or crafted file fails at once with a DatasetTooLargeError that
// names the cap, instead of filling the tab's memory. Real RL datasets sit far
// below each: GSM8K's train split is ~4 MB of JSONL, verl/Search-R1 Parquet
// files are tens to a few hundred MB, and a row is a question and its answers.

import { formatBytes } from "../../util/format_bytes.ts";
import { DatasetTooLargeError } from "./errors.ts";

/** A dataset file read whole (JSONL, CSV or Parquet). */
export const MAX_DATASET_FILE_BYTES = 2 ** 30;

/** One JSONL line or CSV record, in characters: long-context rows run to a few hundred KB. */
export const MAX_ROW_CHARS = 16 * 2 ** 20;

/** A Parquet file's footer (schema and row-group metadata): real ones are KB to a few MB. */
export const MAX_PARQUET_FOOTER_BYTES = 64 * 2 ** 20;

/** One answer of the Hugging Face datasets server (≤ 100 rows whose long cells it truncates itself). */
export const MAX_HF_RESPONSE_BYTES = 32 * 2 ** 20;

/** Refuses a dataset file over MAX_DATASET_FILE_BYTES before any of it is read. */
export function checkDatasetFileSize(name: string, bytes: number): void {
  if (bytes <= MAX_DATASET_FILE_BYTES) return;
  throw new DatasetTooLargeError(
    `${name} is ${formatBytes(bytes)} (${bytes} bytes), over TAPO Studio's limit of ${formatBytes(MAX_DATASET_FILE_BYTES)} for a dataset file: ` +
      "keep the rows you will train on in a smaller file (for JSONL or CSV, e.g. `head -n 100000`), or split it",
  );
}

/** The error for a JSONL line or CSV record over MAX_ROW_CHARS (`what`: "line 7", "the CSV record starting on line 7"). */
export function rowTooLong(name: string, what: string, limit = MAX_ROW_CHARS): DatasetTooLargeError {
  return new DatasetTooLargeError(
    `${what} of ${name} runs past ${limit} characters, TAPO Studio's limit for one row: ` +
      "is it one JSON object per line (JSONL, not a single JSON array), or a CSV with a quote that is never closed? " +
      "Fix the file, or leave out rows that long",
  );
}
