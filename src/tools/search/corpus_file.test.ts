// Checks parsing of uploaded search corpora (Node, no GPU): bad rows skipped and reported by line, duplicate ids, Search-R1 rows, and the error for a file with no usable row.
import { describe, expect, it } from "vitest";
import { addUploadedCorpus } from "./corpus_loader.ts";
import { describeParsedCorpus, EmptyCorpusError, parseCorpusJsonl } from "./corpus_file.ts";
import { LocalIndex } from "./local_index.ts";

const UPLOAD = [
  '{"id": "d1", "title": "Alpha", "text": "Alpha is the first letter."}',
  "",
  "{not json",
  '{"id": "d2", "title": "Beta"}',
  '{"id": 7, "title": "Gamma", "text": "Gamma is the third letter."}',
  '["d3", "Delta", "text"]',
  '{"id": "d1", "title": "Alpha again", "text": "duplicate"}',
  '{"title": "No id", "text": "some text"}',
  '{"id": "wiki-9", "contents": "\\"Epsilon\\"\\nEpsilon is the fifth letter."}',
  '{"id": "d4", "title": 5, "text": "title is a number"}',
].join("\n");

describe("parseCorpusJsonl", () => {
  it("keeps good rows and reports bad ones with line numbers", () => {
    const parsed = parseCorpusJsonl(UPLOAD, "letters.jsonl");
    expect(parsed.docs).toEqual([
      { id: "d1", title: "Alpha", text: "Alpha is the first letter." },
      { id: "7", title: "Gamma", text: "Gamma is the third letter." },
      { id: "wiki-9", title: "Epsilon", text: "Epsilon is the fifth letter." },
    ]);
    expect(parsed.rows).toBe(9);
    expect(parsed.skipped.map((s) => s.line)).toEqual([3, 4, 6, 7, 8, 10]);
    expect(parsed.skipped[0]!.reason).toMatch(/not valid JSON/);
    expect(parsed.skipped[1]!.reason).toMatch(/"text"/);
    expect(parsed.skipped[2]!.reason).toMatch(/not a JSON object/);
    expect(parsed.skipped[3]!.reason).toMatch(/duplicate id "d1"/);
    expect(parsed.skipped[4]!.reason).toMatch(/"id"/);
    expect(parsed.skipped[5]!.reason).toMatch(/"title"/);
    const summary = describeParsedCorpus(parsed, "letters.jsonl");
    expect(summary).toContain("indexed 3 documents from letters.jsonl");
    expect(summary).toContain("skipped 6 bad rows");
    expect(summary).toContain("line 3:");
  });

  it("rejects a file with no usable row, saying why", () => {
    const bad = '{"id": "x"}\n\nnope\n';
    expect(() => parseCorpusJsonl(bad, "bad.jsonl")).toThrow(EmptyCorpusError);
    expect(() => parseCorpusJsonl(bad, "bad.jsonl")).toThrow(/bad\.jsonl holds no usable document \(2 bad rows; line 1: .*line 3:/);
    expect(() => parseCorpusJsonl("\n  \n", "blank.jsonl")).toThrow(/blank\.jsonl holds no documents/);
  });

  it("adds an upload to an existing index", () => {
    const index = LocalIndex.fromDocs([{ id: "d1", title: "Old", text: "an older document about omega" }]);
    const report = addUploadedCorpus(index, UPLOAD, "letters.jsonl");
    expect(report.docs.length).toBe(3);
    expect(report.added).toBe(2);
    expect(index.size).toBe(3);
    expect(index.search("epsilon fifth", 1)[0]?.id).toBe("wiki-9");
  });
});
