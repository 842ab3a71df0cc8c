// Imports a dataset file people bring (DESIGN.md "Datasets"): JSONL, CSV or
// Parquet, chosen by the file name's extension or, failing that, by its first
// bytes. Text formats are streamed and decoded chunk by chunk, so a large file
// is never held as one string; `maxTasks` stops early. The file's size and
// each row's length are capped (limits.ts) before they are read.

import { CsvReader } from "./csv.ts";
import { DatasetFormatError } from "./errors.ts";
import { MAX_ROW_CHARS, checkDatasetFileSize, rowTooLong } from "./limits.ts";
import { readParquetRows } from "./parquet.ts";
import { TaskCollector, usedColumns, type FieldMapping, type ImportResult } from "./row_schema.ts";

export type DatasetFormat = "jsonl" | "csv" | "parquet";

export type DatasetFileOptions = {
  /** The file name: used to pick the format, in messages, in ids and as the default data_source. */
  name: string;
  /** Overrides detection. */
  format?: DatasetFormat;
  mapping?: FieldMapping;
  /** Stop after this many usable rows. */
  maxTasks?: number;
};

const PARQUET_MAGIC = "PAR1";

async function headOf(input: Blob | Uint8Array, n: number): Promise<Uint8Array> {
  return input instanceof Blob ? new Uint8Array(await input.slice(0, n).arrayBuffer()) : input.subarray(0, n);
}

/** The format of a file: by extension (.jsonl/.ndjson/.json, .csv, .parquet), else by content. */
export async function detectFormat(name: string, input: Blob | Uint8Array): Promise<DatasetFormat> {
  const lower = name.toLowerCase();
  if (/\.(jsonl|ndjson|json)$/.test(lower)) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".parquet")) return "parquet";
  const head = await headOf(input, 64);
  if (new TextDecoder().decode(head.subarray(0, 4)) === PARQUET_MAGIC) return "parquet";
  return new TextDecoder().decode(head).replace(/^\uFEFF/, "").trimStart().startsWith("{") ? "jsonl" : "csv";
}

/** Text of a Blob or bytes, chunk by chunk; bytes that are not UTF-8 become U+FFFD (such rows are skipped later). */
async function* textChunks(input: Blob | Uint8Array): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  if (!(input instanceof Blob)) {
    const step = 1 << 20;
    for (let i = 0; i < input.length; i += step) yield decoder.decode(input.subarray(i, i + step), { stream: true });
  } else {
    const reader = input.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield decoder.decode(value, { stream: true });
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  yield decoder.decode();
}

class Stop extends Error {}

async function readJsonl(input: Blob | Uint8Array, collector: TaskCollector, full: () => boolean, name: string): Promise<void> {
  let carry = "";
  let line = 0;
  const take = (text: string) => {
    line++;
    if (text.length > MAX_ROW_CHARS) throw rowTooLong(name, `line ${line}`);
    const trimmed = text.trim();
    if (trimmed === "") return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      collector.skip(line, `not valid JSON (${(e as Error).message})`, true);
      return;
    }
    collector.add(value, line);
    if (full()) throw new Stop();
  };
  try {
    for await (const chunk of textChunks(input)) {
      // Split the chunk alone: re-splitting carry + chunk would rescan a long line once per chunk.
      const parts = chunk.split("\n");
      if (parts.length === 1) carry += chunk;
      else {
        take(carry + parts[0]!);
        for (let i = 1; i < parts.length - 1; i++) take(parts[i]!);
        carry = parts[parts.length - 1]!;
      }
      if (carry.length > MAX_ROW_CHARS) throw rowTooLong(name, `line ${line + 1}`);
    }
    if (carry !== "") take(carry);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
}

/** A CSV cell that holds a JSON list (e.g. answers `["a","b"]` or a chat prompt) becomes that list. */
function cellValue(cell: string): unknown {
  const t = cell.trim();
  if (t.startsWith("[") && t.endsWith("]")) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return cell;
    }
  }
  return cell;
}

async function readCsv(input: Blob | Uint8Array, collector: TaskCollector, full: () => boolean, name: string): Promise<void> {
  let header: string[] | undefined;
  const reader = new CsvReader((record) => {
    if (!header) {
      if (record.error) throw new DatasetFormatError(`the header line of ${name} is malformed: ${record.error}`);
      header = record.fields.map((f) => f.trim());
      return;
    }
    if (record.error) return collector.skip(record.line, `malformed CSV: ${record.error}`, true);
    if (record.fields.length !== header.length) {
      return collector.skip(record.line, `has ${record.fields.length} fields where the header has ${header.length}; quote fields that contain commas`, true);
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => (row[h] = cellValue(record.fields[i]!)));
    collector.add(row, record.line);
    if (full()) throw new Stop();
  }, name);
  try {
    for await (const chunk of textChunks(input)) reader.push(chunk);
    reader.end();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
}

/**
 * Imports tasks from a dataset file.
 * @param input a File/Blob (browser) or the file's bytes (Node or memory).
 * @returns the tasks, rows read, and the skipped rows with their numbers and reasons.
 * @throws NoUsableRowsError when no row is usable; DatasetFormatError for an unreadable Parquet file or CSV header;
 *   DatasetTooLargeError for a file, row or Parquet footer over its cap (limits.ts).
 */
export async function importDatasetFile(input: Blob | ArrayBuffer | Uint8Array, options: DatasetFileOptions): Promise<ImportResult> {
  const source = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  checkDatasetFileSize(options.name, source instanceof Blob ? source.size : source.byteLength);
  const format = options.format ?? (await detectFormat(options.name, source));
  const collector = new TaskCollector(options.name, options.mapping);
  const full = () => options.maxTasks !== undefined && collector.tasks.length >= options.maxTasks;
  if (format === "jsonl") await readJsonl(source, collector, full, options.name);
  else if (format === "csv") await readCsv(source, collector, full, options.name);
  else {
    const used = usedColumns(options.mapping);
    await readParquetRows(
      source,
      (columns) => columns.filter((c) => used.includes(c)),
      (row, n) => {
        collector.add(row, n);
        return !full();
      },
      options.name,
    );
  }
  return collector.finish();
}
