// Turns dataset rows into tasks (DESIGN.md's row schema): the question comes
// from `question`, `prompt` or `problem` (a chat list [{role, content}] gives
// its last user message); gold answers from `answer`, `answers`,
// `golden_answers` or verl's `reward_model.ground_truth` (a string, a number
// or a list; a GSM8K-style "… #### 72" answer gives what follows "####");
// optional `kind` (math, qa, calc), `data_source` and `id`. A mapping renames
// fields (dotted paths reach into nested objects). Rows that cannot be used
// are skipped, counted and kept with their row number and the reason.

import { TASK_KINDS, type Task, type TaskKind } from "../../protocol/tasks.ts";
import { NoUsableRowsError } from "./errors.ts";

/** Column (or dotted path) holding each field, for files that use other names. */
export type FieldMapping = { question?: string; answers?: string; kind?: string; data_source?: string; id?: string };

/** A row left out: its 1-based number (JSONL: line; CSV: line the record starts on; Parquet and datasets server: row index + 1) and why. */
export type SkippedRow = { row: number; reason: string };

export type ImportResult = {
  tasks: Task[];
  /** Rows read (used and skipped). */
  rowsRead: number;
  skippedCount: number;
  /** The first MAX_SKIPPED_DETAILS skipped rows. */
  skipped: SkippedRow[];
};

export const MAX_SKIPPED_DETAILS = 1000;

const QUESTION_FIELDS = ["question", "prompt", "problem"];
const ANSWER_FIELDS = ["answer", "answers", "golden_answers", "reward_model.ground_truth"];

class RowProblem extends Error {}

/** Top-level columns a row can be read from under `mapping` (others need not be loaded). */
export function usedColumns(mapping: FieldMapping = {}): string[] {
  const paths = [
    ...(mapping.question !== undefined ? [mapping.question] : QUESTION_FIELDS),
    ...(mapping.answers !== undefined ? [mapping.answers] : ANSWER_FIELDS),
    mapping.kind ?? "kind",
    mapping.data_source ?? "data_source",
    mapping.id ?? "id",
  ];
  return [...new Set(paths.flatMap((p) => [p, p.split(".")[0]!]))];
}

function get(row: Record<string, unknown>, path: string): unknown {
  if (path in row) return row[path];
  let value: unknown = row;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object" || !(part in value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");
}

function pick(row: Record<string, unknown>, mapped: string | undefined, defaults: readonly string[], what: string): { value: unknown; from: string } | undefined {
  if (mapped !== undefined) {
    const value = get(row, mapped);
    if (value === undefined) throw new RowProblem(`no ${what}: the row has no column "${mapped}" (mapped to ${what})`);
    return { value, from: mapped };
  }
  for (const field of defaults) {
    const value = get(row, field);
    if (isPresent(value)) return { value, from: field };
  }
  return undefined;
}

function textOfContent(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content.map((p) => (typeof p === "string" ? p : p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : ""));
    return parts.join("");
  }
  return undefined;
}

function questionOf(value: unknown, from: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const users = value.filter((m) => m && typeof m === "object" && (m as { role?: unknown }).role === "user");
    const last = users[users.length - 1] as { content?: unknown } | undefined;
    const text = last ? textOfContent(last.content) : undefined;
    if (text === undefined) throw new RowProblem(`no question: "${from}" is a list without a user message ({role: "user", content: "…"})`);
    return text;
  }
  throw new RowProblem(`no question: "${from}" is ${describe(value)}, not text or a chat message list`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function answerText(v: unknown, from: string): string {
  if (typeof v === "string") {
    const marker = v.lastIndexOf("####");
    return (marker >= 0 ? v.slice(marker + 4) : v).trim();
  }
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return String(v);
  throw new RowProblem(`bad gold answer: "${from}" holds ${describe(v)} where text or a number was expected`);
}

function answersOf(value: unknown, from: string): string[] {
  let list: unknown[];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) list = Array.from(value as ArrayLike<unknown>);
  else if (value && typeof value === "object" && "target" in value) return answersOf((value as { target: unknown }).target, `${from}.target`);
  else list = [value];
  const answers = list.map((v) => answerText(v, from)).filter((a) => a !== "");
  if (answers.length === 0) throw new RowProblem(`no gold answer: "${from}" is empty`);
  return answers;
}

/**
 * Collects tasks from rows one at a time.
 * @param source name used in ids and messages (file name or dataset id); also the default data_source.
 */
export class TaskCollector {
  readonly tasks: Task[] = [];
  readonly skipped: SkippedRow[] = [];
  skippedCount = 0;
  rowsRead = 0;

  constructor(readonly source: string, readonly mapping: FieldMapping = {}) {}

  /** Adds one row (`row` is its 1-based number); returns whether it was used. */
  add(raw: unknown, row: number): boolean {
    this.rowsRead++;
    try {
      this.tasks.push(this.toTask(raw, row));
      return true;
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      this.skip(row, e.message);
      return false;
    }
  }

  /** Records a row that could not even be parsed. */
  skip(row: number, reason: string, countAsRead = false): void {
    if (countAsRead) this.rowsRead++;
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_DETAILS) this.skipped.push({ row, reason });
  }

  private toTask(raw: unknown, rowNumber: number): Task {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new RowProblem(`the row is ${describe(raw)}, not an object with named fields`);
    const row = raw as Record<string, unknown>;
    const q = pick(row, this.mapping.question, QUESTION_FIELDS, "question");
    if (!q) throw new RowProblem(`no question: none of the columns ${QUESTION_FIELDS.join(", ")} holds text`);
    const question = questionOf(q.value, q.from).trim();
    if (question === "") throw new RowProblem(`no question: "${q.from}" is empty`);
    const a = pick(row, this.mapping.answers, ANSWER_FIELDS, "answers");
    if (!a) throw new RowProblem(`no gold answer: none of the columns ${ANSWER_FIELDS.join(", ")} holds one`);
    const answers = answersOf(a.value, a.from);
    if ([question, ...answers].some((t) => t.includes("\uFFFD"))) throw new RowProblem("the row holds bytes that are not valid UTF-8 (shown as U+FFFD); save the file as UTF-8");
    const task: Task = { id: this.idOf(row, rowNumber), question, answers, data_source: this.source };
    const kind = get(row, this.mapping.kind ?? "kind");
    if (isPresent(kind)) {
      if (!TASK_KINDS.includes(kind as TaskKind)) throw new RowProblem(`unknown kind ${JSON.stringify(kind)}: use math, qa or calc, or leave it out`);
      task.kind = kind as TaskKind;
    }
    const dataSource = get(row, this.mapping.data_source ?? "data_source");
    if (typeof dataSource === "string" && dataSource.trim() !== "") task.data_source = dataSource;
    return task;
  }

  private idOf(row: Record<string, unknown>, rowNumber: number): string {
    const id = get(row, this.mapping.id ?? "id");
    return typeof id === "string" || typeof id === "number" || typeof id === "bigint" ? String(id) : `${this.source}#${rowNumber}`;
  }

  /**
   * The collected result.
   * @throws NoUsableRowsError when no row was usable.
   */
  finish(): ImportResult {
    if (this.tasks.length === 0) {
      const reasons = this.skipped.slice(0, 3).map((s) => `row ${s.row}: ${s.reason}`);
      throw new NoUsableRowsError(this.source, this.rowsRead, reasons);
    }
    return { tasks: this.tasks, rowsRead: this.rowsRead, skippedCount: this.skippedCount, skipped: this.skipped };
  }
}

/** One line for people: "imported 950 of 1,000 rows from data.csv; skipped 50 (row 3: …; row 9: …; …)". */
export function describeImport(source: string, result: ImportResult): string {
  const head = `imported ${result.tasks.length} of ${result.rowsRead} rows from ${source}`;
  if (result.skippedCount === 0) return head;
  const shown = result.skipped.slice(0, 5).map((s) => `row ${s.row}: ${s.reason}`).join("; ");
  return `${head}; skipped ${result.skippedCount} (${shown}${result.skippedCount > 5 ? "; …" : ""})`;
}
