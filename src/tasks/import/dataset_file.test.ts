// Checks dataset file import (Node, no GPU): JSONL, CSV and Parquet (written here with hyparquet-writer) into tasks, the row schema's field names, chat prompts, field mapping, skipped rows reported with their numbers and reasons, and the size caps (file, row, Parquet footer) refused before reading.
import { ByteWriter, ParquetWriter, parquetWriteBuffer, schemaFromColumnData } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { importDatasetFile } from "./dataset_file.ts";
import { DatasetFormatError, DatasetTooLargeError, NoUsableRowsError } from "./errors.ts";
import { MAX_DATASET_FILE_BYTES, MAX_PARQUET_FOOTER_BYTES, MAX_ROW_CHARS } from "./limits.ts";
import { describeImport } from "./row_schema.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("JSONL import", () => {
  it("reads every documented field name and shape", async () => {
    const text = jsonl([
      { question: "Q1", answer: "A1", kind: "qa", data_source: "nq" },
      { prompt: "Q2", answers: ["A2", "a two"] },
      { problem: "Q3", golden_answers: ["A3"], kind: "math" },
      { prompt: [{ role: "system", content: "be brief" }, { role: "user", content: "first" }, { role: "assistant", content: "…" }, { role: "user", content: "Q4" }], reward_model: { ground_truth: { target: ["A4"] }, style: "rule" } },
      { question: "Q5", answer: "Natalia sold 48 clips.\n#### 72" },
      { question: "Q6", answer: 42, id: "row-six" },
    ]);
    const result = await importDatasetFile(enc(text), { name: "mix.jsonl" });
    expect(result.tasks).toEqual([
      { id: "mix.jsonl#1", question: "Q1", answers: ["A1"], kind: "qa", data_source: "nq" },
      { id: "mix.jsonl#2", question: "Q2", answers: ["A2", "a two"], data_source: "mix.jsonl" },
      { id: "mix.jsonl#3", question: "Q3", answers: ["A3"], kind: "math", data_source: "mix.jsonl" },
      { id: "mix.jsonl#4", question: "Q4", answers: ["A4"], data_source: "mix.jsonl" },
      { id: "mix.jsonl#5", question: "Q5", answers: ["72"], data_source: "mix.jsonl" },
      { id: "row-six", question: "Q6", answers: ["42"], data_source: "mix.jsonl" },
    ]);
    expect(result.skippedCount).toBe(0);
  });

  it("skips unusable rows, counting them with their line and reason", async () => {
    const bytes = new Uint8Array([
      ...enc('{"question":"ok","answer":"1"}\n'),
      ...enc("{not json\n"),
      ...enc('{"question":"no gold"}\n'),
      ...enc("\n"),
      ...enc('{"question":"bad kind","answer":"x","kind":"poetry"}\n'),
      ...enc('{"question":"bytes '), 0xff, 0xfe, ...enc('","answer":"y"}\n'),
      ...enc('["a","list"]\n'),
      ...enc('{"question":"also ok","answers":[]}\n'),
      ...enc('{"question":"fine","answers":["z"]}'),
    ]);
    const result = await importDatasetFile(bytes, { name: "bad.jsonl" });
    expect(result.tasks.map((t) => t.question)).toEqual(["ok", "fine"]);
    expect(result.rowsRead).toBe(8);
    expect(result.skippedCount).toBe(6);
    expect(result.skipped.map((s) => s.row)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(result.skipped[0]!.reason).toMatch(/not valid JSON/);
    expect(result.skipped[1]!.reason).toMatch(/no gold answer/);
    expect(result.skipped[2]!.reason).toMatch(/unknown kind "poetry"/);
    expect(result.skipped[3]!.reason).toMatch(/not valid UTF-8/);
    expect(result.skipped[4]!.reason).toMatch(/not an object/);
    expect(result.skipped[5]!.reason).toMatch(/empty/);
    expect(describeImport("bad.jsonl", result)).toMatch(/^imported 2 of 8 rows from bad.jsonl; skipped 6 \(row 2: not valid JSON/);
  });

  it("maps other field names, including nested paths", async () => {
    const text = jsonl([{ query: "Q", label: ["L"], meta: { src: "hotpot" } }, { query: "R", other: "x" }]);
    const result = await importDatasetFile(enc(text), { name: "m.jsonl", mapping: { question: "query", answers: "label", data_source: "meta.src" } });
    expect(result.tasks).toEqual([{ id: "m.jsonl#1", question: "Q", answers: ["L"], data_source: "hotpot" }]);
    expect(result.skipped).toEqual([{ row: 2, reason: 'no answers: the row has no column "label" (mapped to answers)' }]);
  });

  it("fails with a clear message when no row is usable, and stops at maxTasks", async () => {
    const text = jsonl([{ q: "a", a: "b" }, { q: "c", a: "d" }]);
    const error = await importDatasetFile(enc(text), { name: "x.jsonl" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoUsableRowsError);
    expect((error as Error).message).toMatch(/x.jsonl has no usable row: all 2 rows were skipped \(row 1: no question/);
    await expect(importDatasetFile(enc(""), { name: "empty.jsonl" })).rejects.toThrow(/holds no rows/);
    const many = jsonl(Array.from({ length: 50 }, (_, i) => ({ question: `q${i}`, answer: `${i}` })));
    const limited = await importDatasetFile(new Blob([many]), { name: "many.jsonl", maxTasks: 7 });
    expect(limited.tasks.map((t) => t.question)).toEqual(["q0", "q1", "q2", "q3", "q4", "q5", "q6"]);
  });
});

describe("CSV import", () => {
  it("reads quoted cells and JSON lists, and skips short rows with their line", async () => {
    const text = 'question,answers,kind\n"What is 1,000 + 1?","[""1001"", ""1,001""]",math\n"Name, with ""quotes""\nand a line break",plain,qa\nonly two,fields\n';
    const result = await importDatasetFile(new Blob([text]), { name: "t.csv" });
    expect(result.tasks).toEqual([
      { id: "t.csv#2", question: "What is 1,000 + 1?", answers: ["1001", "1,001"], kind: "math", data_source: "t.csv" },
      { id: "t.csv#3", question: 'Name, with "quotes"\nand a line break', answers: ["plain"], kind: "qa", data_source: "t.csv" },
    ]);
    expect(result.skipped).toEqual([{ row: 5, reason: "has 2 fields where the header has 3; quote fields that contain commas" }]);
  });

  it("detects the format from content when the name has no known extension", async () => {
    const csv = await importDatasetFile(enc("problem,answer\nQ,A\n"), { name: "upload" });
    expect(csv.tasks[0]).toMatchObject({ question: "Q", answers: ["A"] });
    const json = await importDatasetFile(enc('{"problem":"P","answer":"B"}\n'), { name: "upload" });
    expect(json.tasks[0]).toMatchObject({ question: "P", answers: ["B"] });
  });
});

describe("Parquet import", () => {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "data_source", data: ["tapo", "tapo", "tapo"] },
      { name: "prompt", data: [[{ role: "system", content: "s" }, { role: "user", content: "What is 6 × 7?" }], [{ role: "user", content: "Capital of X?" }], [{ role: "system", content: "no user" }]] },
      { name: "reward_model", data: [{ ground_truth: { target: ["42"] }, style: "rule" }, { ground_truth: { target: ["Y", "y city"] }, style: "rule" }, { ground_truth: { target: ["z"] }, style: "rule" }] },
      { name: "n", data: [1n, 2n, 3n] },
      { name: "extra", data: ["a", "b", "c"] },
    ],
  });

  it("round-trips verl-style rows from bytes and from a Blob", async () => {
    for (const input of [buffer, new Blob([buffer])]) {
      const result = await importDatasetFile(input, { name: "train.parquet" });
      expect(result.tasks).toEqual([
        { id: "train.parquet#1", question: "What is 6 × 7?", answers: ["42"], data_source: "tapo" },
        { id: "train.parquet#2", question: "Capital of X?", answers: ["Y", "y city"], data_source: "tapo" },
      ]);
      expect(result.skipped).toEqual([{ row: 3, reason: 'no question: "prompt" is a list without a user message ({role: "user", content: "…"})' }]);
    }
  });

  it("maps columns, reading bigint cells as text", async () => {
    const result = await importDatasetFile(buffer, { name: "d.parquet", mapping: { question: "extra", answers: "n" } });
    expect(result.tasks.map((t) => [t.question, t.answers])).toEqual([["a", ["1"]], ["b", ["2"]], ["c", ["3"]]]);
  });

  it("reads the rows a file holds when its footer claims 2^50 rows, instead of looping over rows that are not there", { timeout: 10_000 }, async () => {
    const columnData = [
      { name: "question", data: ["a", "b", "c"] },
      { name: "answer", data: ["1", "2", "3"] },
    ];
    const writer = new ByteWriter();
    const parquet = new ParquetWriter({ writer, schema: schemaFromColumnData({ columnData }) });
    parquet.write({ columnData });
    parquet.num_rows = 2n ** 50n;
    parquet.finish();
    const result = await importDatasetFile(writer.getBuffer(), { name: "claims.parquet" });
    expect(result.tasks.map((t) => t.question)).toEqual(["a", "b", "c"]);
    expect(result.rowsRead).toBe(3);
  });

  it("refuses bytes that are not Parquet", async () => {
    await expect(importDatasetFile(enc("PAR1 but not really a parquet file"), { name: "x.parquet" })).rejects.toThrow(DatasetFormatError);
  });
});

/**
 * A Blob that claims `size` bytes without holding them: zeros except `tail` at its end. Slices up to 1 MiB are
 * served; a larger slice or a stream fails the test, so a reader that would read the file is caught.
 */
function claimedBlob(size: number, tail = new Uint8Array(0)): Blob & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  const blob = Object.assign(new Blob([]), { reads });
  Object.defineProperty(blob, "size", { value: size });
  blob.stream = () => {
    throw new Error("test blob: streamed whole");
  };
  blob.slice = (start = 0, end = size) => {
    reads.push([start, end]);
    if (end - start > 1 << 20) throw new Error(`test blob: slice of ${end - start} bytes`);
    const out = new Uint8Array(end - start);
    const tailStart = size - tail.length;
    for (let i = Math.max(start, tailStart); i < end; i++) out[i - start] = tail[i - tailStart]!;
    return new Blob([out]);
  };
  return blob;
}

describe("Import caps", () => {
  it("refuses a file over the size cap before reading any of it, naming the cap", async () => {
    for (const name of ["huge.jsonl", "huge.csv", "huge.parquet"]) {
      const blob = claimedBlob(MAX_DATASET_FILE_BYTES + 1);
      const error = await importDatasetFile(blob, { name }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(DatasetTooLargeError);
      expect((error as Error).message).toBe(
        `${name} is 1.00 GiB (${MAX_DATASET_FILE_BYTES + 1} bytes), over TAPO Studio's limit of 1 GiB for a dataset file: ` +
          "keep the rows you will train on in a smaller file (for JSONL or CSV, e.g. `head -n 100000`), or split it",
      );
      expect(blob.reads, name).toEqual([]);
    }
  });

  it("refuses a JSONL line longer than the row cap, with its line number, instead of holding it", async () => {
    const first = enc('{"question":"q","answer":"a"}\n');
    const bytes = new Uint8Array(first.length + MAX_ROW_CHARS + 10).fill(0x78); // then one line of "x" past the cap, no newline
    bytes.set(first);
    for (const input of [bytes, new Blob([bytes])]) {
      await expect(importDatasetFile(input, { name: "array.json" })).rejects.toThrow(
        new DatasetTooLargeError(
          `line 2 of array.json runs past ${MAX_ROW_CHARS} characters, TAPO Studio's limit for one row: ` +
            "is it one JSON object per line (JSONL, not a single JSON array), or a CSV with a quote that is never closed? Fix the file, or leave out rows that long",
        ),
      );
    }
  });

  it("refuses a CSV record that an unclosed quote stretches past the row cap", async () => {
    const text = `question,answer\nq,a\n"never closed,${"x".repeat(MAX_ROW_CHARS)}\nmore,rows\n`;
    await expect(importDatasetFile(enc(text), { name: "quote.csv" })).rejects.toThrow(
      `the CSV record starting on line 3 of quote.csv runs past ${MAX_ROW_CHARS} characters, TAPO Studio's limit for one row`,
    );
  });

  it("refuses a Parquet footer longer than its cap, reading only the file's last bytes", async () => {
    const footerLength = 150 << 20; // inside the (claimed) 200 MiB file, over the 64 MiB cap
    const tail = new Uint8Array([...new Uint8Array(new Uint32Array([footerLength]).buffer), ...enc("PAR1")]);
    const blob = claimedBlob(200 << 20, tail);
    const error = await importDatasetFile(blob, { name: "big.parquet" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetTooLargeError);
    expect((error as Error).message).toBe(
      `big.parquet declares a Parquet footer (its schema and row-group metadata) of 150 MiB (${footerLength} bytes), over TAPO Studio's limit of ` +
        `64 MiB: real footers are a few MB at most, so the file is damaged or not Parquet; download or export it again`,
    );
    expect(MAX_PARQUET_FOOTER_BYTES).toBe(64 << 20);
    expect(blob.reads).toEqual([[(200 << 20) - 8, 200 << 20]]);
  });
});
