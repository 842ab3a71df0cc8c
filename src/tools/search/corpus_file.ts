// Reads search corpora people bring: JSONL with one `{"id","title","text"}`
// object per line. Bad rows are skipped and reported by line number; a file
// with no usable row is an error. Search-R1's `{"id","contents"}` rows (title
// in quotes on the first line of `contents`) are accepted too.

import type { CorpusDoc } from "../../tasks/world/types.ts";

/** A row that was skipped, with its 1-based line number and why. */
export type SkippedRow = { line: number; reason: string };

export type ParsedCorpus = {
  docs: CorpusDoc[];
  skipped: SkippedRow[];
  /** Non-blank lines read. */
  rows: number;
};

/** The file held no usable document. */
export class EmptyCorpusError extends Error {
  constructor(
    readonly source: string,
    readonly skipped: SkippedRow[],
  ) {
    const first = skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join("; ");
    super(
      skipped.length === 0
        ? `${source} holds no documents: a corpus is JSONL with one {"id","title","text"} object per line`
        : `${source} holds no usable document (${skipped.length} bad rows; ${first}): each line must be a JSON object with a string "id", a string "title" and a non-empty string "text"`,
    );
    this.name = "EmptyCorpusError";
  }
}

function rowToDoc(row: unknown): CorpusDoc | string {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return "not a JSON object";
  const r = row as Record<string, unknown>;
  const id = typeof r.id === "number" ? String(r.id) : r.id;
  if (typeof id !== "string" || id === "") return 'missing "id" (a string or number)';
  if (typeof r.text === "string") {
    if (r.text.trim() === "") return 'empty "text"';
    if (r.title !== undefined && typeof r.title !== "string") return '"title" is not a string';
    return { id, title: typeof r.title === "string" ? r.title : "", text: r.text };
  }
  if (typeof r.contents === "string") {
    const newline = r.contents.indexOf("\n");
    const head = newline < 0 ? "" : r.contents.slice(0, newline);
    const text = newline < 0 ? r.contents : r.contents.slice(newline + 1);
    if (text.trim() === "") return 'empty "contents"';
    return { id, title: head.replace(/^"(.*)"$/, "$1"), text };
  }
  return 'missing "text" (a non-empty string)';
}

/**
 * Parses corpus JSONL.
 * @param text the whole file as text.
 * @param source a name for messages (the file name).
 * @returns usable documents in file order, skipped rows (bad JSON, missing fields, duplicate ids) and the row count.
 * @throws EmptyCorpusError when no row is usable.
 */
export function parseCorpusJsonl(text: string, source = "the corpus file"): ParsedCorpus {
  const docs: CorpusDoc[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  let rows = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    rows++;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      skipped.push({ line: i + 1, reason: `not valid JSON (${(e as Error).message})` });
      continue;
    }
    const doc = rowToDoc(row);
    if (typeof doc === "string") {
      skipped.push({ line: i + 1, reason: doc });
    } else if (seen.has(doc.id)) {
      skipped.push({ line: i + 1, reason: `duplicate id "${doc.id}" (the first one is kept)` });
    } else {
      seen.add(doc.id);
      docs.push(doc);
    }
  }
  if (docs.length === 0) throw new EmptyCorpusError(source, skipped);
  return { docs, skipped, rows };
}

/** One line for the UI/CLI: "indexed 98 documents from f.jsonl; skipped 2 bad rows (line 3: …; line 7: …)". */
export function describeParsedCorpus(parsed: ParsedCorpus, source: string): string {
  const base = `indexed ${parsed.docs.length} documents from ${source}`;
  if (parsed.skipped.length === 0) return base;
  const shown = parsed.skipped.slice(0, 5).map((s) => `line ${s.line}: ${s.reason}`).join("; ");
  const more = parsed.skipped.length > 5 ? `; and ${parsed.skipped.length - 5} more` : "";
  return `${base}; skipped ${parsed.skipped.length} bad rows (${shown}${more})`;
}
