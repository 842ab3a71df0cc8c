// A streaming CSV reader (RFC 4180): comma-separated fields, quoted fields
// with "" for a quote and with commas and line breaks inside, records ended
// by CRLF or LF. Text comes in chunks of any size; each record is reported
// with the line it starts on, or with an error when it is malformed. A record
// longer than MAX_ROW_CHARS (an unclosed quote swallowing the file) is refused.

import { MAX_ROW_CHARS, rowTooLong } from "./limits.ts";

/** One record: its fields, the 1-based line it starts on, and what is wrong with it if anything. */
export type CsvRecord = { fields: string[]; line: number; error?: string };

/** Feeds text in pieces with push(), then end(); records arrive through `onRecord` in order. Blank lines are passed over. */
export class CsvReader {
  private fields: string[] = [];
  private field = "";
  private inQuotes = false;
  private afterQuote = false;
  private fieldWasQuoted = false;
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;
  private started = false;
  private recordChars = 0;

  /**
   * @param name the file, for messages.
   * @param maxRecordChars a longer record throws DatasetTooLargeError (it would hold the rest of the file in memory).
   */
  constructor(
    private readonly onRecord: (record: CsvRecord) => void,
    private readonly name = "the CSV text",
    private readonly maxRecordChars = MAX_ROW_CHARS,
  ) {}

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      let c = text[i]!;
      if (++this.recordChars > this.maxRecordChars) throw rowTooLong(this.name, `the CSV record starting on line ${this.recordLine}`, this.maxRecordChars);
      if (!this.started) {
        this.started = true;
        if (c === "\uFEFF") continue;
      }
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === "\n") continue; // CRLF already ended the record
      }
      if (this.inQuotes) {
        if (c === '"') {
          this.inQuotes = false;
          this.afterQuote = true;
        } else {
          if (c === "\n" || c === "\r") {
            this.line++;
            if (c === "\r" && text[i + 1] === "\n") {
              this.field += "\r";
              c = "\n";
              i++;
            }
          }
          this.field += c;
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === '"') {
          this.field += '"';
          this.inQuotes = true;
          continue;
        }
        if (c !== "," && c !== "\n" && c !== "\r") {
          this.error ??= `text after the closing quote of field ${this.fields.length + 1}; quote the whole field and write a quote inside it as ""`;
        }
      }
      if (c === ",") {
        this.endField();
      } else if (c === "\n" || c === "\r") {
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
        if (c === "\r") this.pendingCR = true;
      } else if (c === '"' && this.field === "" && !this.fieldWasQuoted) {
        this.inQuotes = true;
        this.fieldWasQuoted = true;
      } else {
        this.field += c;
      }
    }
  }

  /** Ends the input: reports the last record (one left inside quotes is malformed). */
  end(): void {
    if (this.inQuotes) this.error ??= `a quoted field opened on or after line ${this.recordLine} is never closed; the file may be cut short`;
    this.inQuotes = false;
    this.afterQuote = false;
    this.endRecord();
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.fieldWasQuoted = false;
  }

  private endRecord(): void {
    const blank = this.fields.length === 0 && this.field === "" && !this.fieldWasQuoted;
    if (!blank || this.error) {
      this.endField();
      this.onRecord({ fields: this.fields, line: this.recordLine, ...(this.error ? { error: this.error } : {}) });
    }
    this.fields = [];
    this.field = "";
    this.fieldWasQuoted = false;
    this.error = undefined;
    this.recordChars = 0;
  }
}

/** Parses a whole CSV text into records. */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const reader = new CsvReader((r) => out.push(r));
  reader.push(text);
  reader.end();
  return out;
}
