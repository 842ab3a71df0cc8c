// Checks the Traces page's filters (outcome, search, code, step ranges, text) and traces.jsonl reading
// with bad lines reported by number. Node only, no GPU.
import { describe, expect, it } from "vitest";
import type { Segment, Trace } from "../protocol/trace";
import { NO_FILTER, type TraceFilter, filterTraceIndices, parseStepRange } from "./filter";
import { describeLoad, parseTracesJsonl } from "./jsonl";

function trace(step: number | undefined, correct: boolean | undefined, segments: Segment[], question = `question ${step}`): Trace {
  return {
    v: 1,
    model: "tiny",
    ...(step !== undefined ? { step } : {}),
    question,
    segments,
    ...(correct !== undefined ? { reward: { total: correct ? 1 : 0, correct, format: true, overlong: 0 } } : {}),
    created: "2025-01-01T00:00:00.000Z",
  };
}

const traces: Trace[] = [
  trace(0, true, [{ kind: "search", text: "Zorblat river" }, { kind: "response", tool: "search", text: "a river" }, { kind: "answer", text: "yes" }]),
  trace(1, false, [{ kind: "code", text: "print(6*7)" }, { kind: "response", tool: "python", text: "42" }, { kind: "answer", text: "41" }]),
  trace(2, true, [{ kind: "search", text: "q" }, { kind: "code", text: "x=1" }, { kind: "answer", text: "1" }]),
  trace(3, false, [{ kind: "think", text: "Hmm, NO tools" }, { kind: "answer", text: "?" }]),
  trace(undefined, undefined, [{ kind: "text", text: "unscored" }], "Where is Quenby?"),
  trace(10, true, [{ kind: "answer", text: "ten" }]),
];

function pick(filter: Partial<TraceFilter>): number[] {
  return filterTraceIndices(traces, { ...NO_FILTER, ...filter });
}

describe("parseStepRange", () => {
  it("reads one step, closed and open ranges", () => {
    expect(parseStepRange("")).toEqual({ ok: true, range: {} });
    expect(parseStepRange(" 3 ")).toEqual({ ok: true, range: { min: 3, max: 3 } });
    expect(parseStepRange("2-5")).toEqual({ ok: true, range: { min: 2, max: 5 } });
    expect(parseStepRange("2 .. 5")).toEqual({ ok: true, range: { min: 2, max: 5 } });
    expect(parseStepRange("2–5")).toEqual({ ok: true, range: { min: 2, max: 5 } });
    expect(parseStepRange("4-")).toEqual({ ok: true, range: { min: 4 } });
    expect(parseStepRange("-5")).toEqual({ ok: true, range: { max: 5 } });
  });
  it("explains what it cannot read", () => {
    for (const bad of ["-", "abc", "1-2-3", "1.5", "x-3"]) {
      const parsed = parseStepRange(bad);
      expect(parsed.ok, bad).toBe(false);
    }
    const backwards = parseStepRange("5-2");
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.message).toContain("2-5");
  });
});

describe("filterTraceIndices", () => {
  it("keeps everything with no filter", () => {
    expect(pick({})).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("filters by outcome", () => {
    expect(pick({ outcome: "correct" })).toEqual([0, 2, 5]);
    expect(pick({ outcome: "incorrect" })).toEqual([1, 3]);
    expect(pick({ outcome: "unscored" })).toEqual([4]);
  });
  it("filters by tool use, both ways", () => {
    expect(pick({ usedSearch: "yes" })).toEqual([0, 2]);
    expect(pick({ usedSearch: "no" })).toEqual([1, 3, 4, 5]);
    expect(pick({ usedCode: "yes" })).toEqual([1, 2]);
    expect(pick({ usedSearch: "yes", usedCode: "yes" })).toEqual([2]);
    expect(pick({ usedSearch: "no", usedCode: "no" })).toEqual([3, 4, 5]);
  });
  it("filters by exact step and ranges; traces without a step only pass when no step is asked", () => {
    expect(pick({ step: "2" })).toEqual([2]);
    expect(pick({ step: "1-3" })).toEqual([1, 2, 3]);
    expect(pick({ step: "3-" })).toEqual([3, 5]);
    expect(pick({ step: "-1" })).toEqual([0, 1]);
    expect(pick({ step: "4-9" })).toEqual([]);
  });
  it("ignores a step it cannot read rather than hiding everything", () => {
    expect(pick({ step: "soon" })).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("finds text in questions, segments and tool output, ignoring case", () => {
    expect(pick({ query: "zorblat" })).toEqual([0]);
    expect(pick({ query: "no tools" })).toEqual([3]);
    expect(pick({ query: "QUENBY" })).toEqual([4]);
    expect(pick({ query: "42" })).toEqual([1]);
    expect(pick({ query: "  " })).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("combines every filter", () => {
    expect(pick({ outcome: "correct", usedSearch: "yes", step: "1-", query: "x=1" })).toEqual([2]);
    expect(pick({ outcome: "incorrect", usedCode: "yes", query: "river" })).toEqual([]);
  });
});

describe("parseTracesJsonl", () => {
  it("keeps good lines and lists bad ones by line number with the reason", () => {
    const lines = [
      JSON.stringify(traces[0]),
      "",
      "{not json",
      JSON.stringify({ ...traces[1], question: 3 }),
      JSON.stringify({ ...traces[2], v: 2 }),
      JSON.stringify(traces[3]) + "\r",
      "   ",
    ];
    const result = parseTracesJsonl(lines.join("\n"));
    expect(result.traces).toEqual([traces[0], traces[3]]);
    expect(result.skipped.map((s) => s.line)).toEqual([3, 4, 5]);
    expect(result.skipped[0]!.reason).toBe("not JSON");
    expect(result.skipped[1]!.reason).toContain("no question");
    expect(result.skipped[2]!.reason).toContain("newer TAPO Studio");
    const message = describeLoad("run.jsonl", result);
    expect(message).toMatch(/^Loaded 2 traces from run\.jsonl; skipped 3 bad lines \(line 3: not JSON; line 4: .*line 5: .*\)\.$/);
  });
  it("says when nothing was skipped, and shortens a long list of bad lines", () => {
    expect(describeLoad("a.jsonl", parseTracesJsonl(JSON.stringify(traces[0])))).toBe("Loaded 1 trace from a.jsonl.");
    const bad = parseTracesJsonl(Array.from({ length: 9 }, () => "x").join("\n"));
    expect(bad.traces).toEqual([]);
    expect(describeLoad("b.jsonl", bad, 2)).toBe("Loaded 0 traces from b.jsonl; skipped 9 bad lines (line 1: not JSON; line 2: not JSON; and 7 more).");
  });
});
