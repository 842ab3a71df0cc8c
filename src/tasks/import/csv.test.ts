// Checks the streaming RFC 4180 CSV reader (Node, no GPU): quotes, embedded commas and line breaks, CRLF, BOM, malformed records, and that chunk boundaries never change the result.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { CsvReader, parseCsv } from "./csv.ts";

/** Writes records as CSV the RFC 4180 way, quoting every field that needs it. */
function writeCsv(records: string[][], eol: string): string {
  const cell = (f: string) => (/[",\r\n]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f);
  return records.map((r) => r.map(cell).join(",")).join(eol) + eol;
}

describe("CSV reader", () => {
  it("reads quoted fields with commas, quotes and line breaks, and reports the line each record starts on", () => {
    const text = 'question,answer\r\n"What is 2,5 + 1?","3,5"\r\n"Say ""hi""",hi\r\n"two\nlines",x\r\nplain,"multi\r\nline\r\nanswer"\r\nlast,row';
    const records = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual([
      ["question", "answer"],
      ["What is 2,5 + 1?", "3,5"],
      ['Say "hi"', "hi"],
      ["two\nlines", "x"],
      ["plain", "multi\r\nline\r\nanswer"],
      ["last", "row"],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 9]);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });

  it("drops a byte-order mark, passes over blank lines and keeps empty fields", () => {
    const records = parseCsv('\uFEFFa,b\n\n,""\n1,\n');
    expect(records.map((r) => r.fields)).toEqual([["a", "b"], ["", ""], ["1", ""]]);
    expect(records.map((r) => r.line)).toEqual([1, 3, 4]);
  });

  it("flags text after a closing quote and a quote never closed", () => {
    const records = parseCsv('a,b\n"x"y,1\nok,2\n"open,3\n');
    expect(records[1]!.error).toMatch(/after the closing quote/);
    expect(records[2]).toEqual({ fields: ["ok", "2"], line: 3 });
    expect(records[3]!.error).toMatch(/never closed/);
  });

  it("gives the same records whatever the chunk boundaries (random records, random splits)", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '7'];
    const records = Array.from({ length: 60 }, () =>
      Array.from({ length: 3 }, () => Array.from({ length: Math.floor(rand() * 8) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("")),
    );
    for (const eol of ["\r\n", "\n"]) {
      const text = writeCsv(records, eol);
      const out: string[][] = [];
      const reader = new CsvReader((r) => {
        expect(r.error, `seed ${seed}`).toBeUndefined();
        out.push(r.fields);
      });
      for (let i = 0; i < text.length; ) {
        const n = 1 + Math.floor(rand() * 7);
        reader.push(text.slice(i, i + n));
        i += n;
      }
      reader.end();
      expect(out, `seed ${seed}, eol ${JSON.stringify(eol)}`).toEqual(records);
    }
  });
});
