// Checks the Data page store in Node (no GPU): the default task source (built-in, seed 1), seed and count edits,
// putting a previewed import to use with its test split, keeping the choice on errors, and the search backend.
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BUILTIN_COUNTS, DEFAULT_TINY_COUNTS } from "../../tasks/builtin";
import type { ImportResult } from "../../tasks/import/row_schema";
import type { Task } from "../../protocol/tasks";
import {
  chooseBuiltinTasks,
  chooseDraftTasks,
  chooseImportedTasks,
  currentSearchBackend,
  currentTaskLabel,
  currentTaskSource,
  fieldMappingOf,
  resetDataStore,
  setBuiltinCount,
  setBuiltinLevel,
  setBuiltinSeed,
  setDraft,
  setSearchBackend,
  setTestShare,
  useDataStore,
} from "./dataStore";
import { holdOutTestShare } from "../../tasks/held_out";

afterEach(() => resetDataStore());

function result(n: number): ImportResult {
  const tasks: Task[] = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, question: `q${i}?`, answers: [`a${i}`], data_source: "mine.csv" }));
  return { tasks, rowsRead: n + 1, skippedCount: 1, skipped: [{ row: 3, reason: "no gold answer" }] };
}

describe("data store", () => {
  it("defaults to the built-in tasks' tiny level (the bundled model's) with seed 1 and its default counts", () => {
    expect(currentTaskSource()).toEqual({ kind: "builtin", seed: 1, counts: DEFAULT_TINY_COUNTS, level: "tiny" });
    const total = Object.values(DEFAULT_TINY_COUNTS).reduce((a, b) => a + b, 0);
    expect(currentTaskLabel()).toBe(`built-in tasks (tiny level), seed 1 (${total} per split)`);
    expect(currentSearchBackend()).toBe("local");
    setBuiltinLevel("full");
    expect(currentTaskSource()).toEqual({ kind: "builtin", seed: 1, counts: DEFAULT_BUILTIN_COUNTS, level: "full" });
    expect(currentTaskLabel()).toBe(`built-in tasks, seed 1 (${Object.values(DEFAULT_BUILTIN_COUNTS).reduce((a, b) => a + b, 0)} per split)`);
  });

  it("takes valid seeds and counts and ignores invalid ones", () => {
    setBuiltinSeed(42);
    setBuiltinSeed(-1);
    setBuiltinSeed(1.5);
    setBuiltinSeed(2 ** 32);
    setBuiltinCount("fact2", 7);
    setBuiltinCount("easy", -3);
    const source = currentTaskSource();
    expect(source).toMatchObject({ kind: "builtin", seed: 42 });
    expect(source.kind === "builtin" && source.counts).toEqual({ ...DEFAULT_TINY_COUNTS, fact2: 7 });
  });

  it("puts a ready import to use, split by the test share, and switches back and forth", () => {
    setTestShare(0.25);
    setDraft({ status: "ready", origin: "file", label: "mine.csv", result: result(8) });
    expect(chooseDraftTasks()).toBe(true);
    const source = currentTaskSource();
    expect(source.kind).toBe("tasks");
    if (source.kind !== "tasks") return;
    expect(source.label).toBe("mine.csv");
    expect(source.test).toHaveLength(2);
    expect(source.train).toHaveLength(6);
    expect(source).toMatchObject(holdOutTestShare(result(8).tasks, 0.25));
    expect(currentTaskLabel()).toBe("mine.csv (6 train, 2 test)");
    chooseBuiltinTasks();
    expect(currentTaskSource().kind).toBe("builtin");
    chooseImportedTasks();
    expect(currentTaskSource().kind).toBe("tasks");
  });

  it("keeps the tasks in use when a later import fails or is still reading", () => {
    setDraft({ status: "ready", origin: "file", label: "good.jsonl", result: result(5) });
    chooseDraftTasks();
    const before = currentTaskSource();
    setDraft({ status: "error", origin: "file", label: "bad.parquet", message: "not a Parquet file" });
    expect(chooseDraftTasks()).toBe(false);
    setDraft({ status: "reading", origin: "hf", label: "x/y", rowsRead: 0 });
    expect(chooseDraftTasks()).toBe(false);
    expect(currentTaskSource()).toEqual(before);
  });

  it("clamps the test share to [0, 0.5]", () => {
    setTestShare(0.9);
    expect(useDataStore.getState().testShare).toBe(0.5);
    setTestShare(-1);
    expect(useDataStore.getState().testShare).toBe(0);
  });

  it("leaves blank mapping fields out and trims the others", () => {
    expect(fieldMappingOf({ question: " query ", answers: "", kind: "", data_source: "src" })).toEqual({ question: "query", data_source: "src" });
  });

  it("accepts the backends parseBackendSpec knows and keeps the previous one otherwise", () => {
    expect(setSearchBackend("searxng:http://127.0.0.1:8888")).toBe(true);
    expect(currentSearchBackend()).toBe("searxng:http://127.0.0.1:8888");
    expect(setSearchBackend("bing")).toBe(false);
    expect(currentSearchBackend()).toBe("searxng:http://127.0.0.1:8888");
    expect(useDataStore.getState().searchBackendError).toMatch(/unknown search backend "bing"/);
    expect(setSearchBackend("wikipedia")).toBe(true);
    expect(useDataStore.getState().searchBackendError).toBeUndefined();
  });
});
