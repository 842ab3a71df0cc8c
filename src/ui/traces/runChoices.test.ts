// Checks the Traces page's run picker entries: saved runs by name or id with model, steps done and status (this
// tab's run and another tab's said so), then the other runs here with their trace counts. Node only, no GPU.
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../protocol/run";
import type { Trace } from "../../protocol/trace";
import { runChoices } from "./runChoices";

const base = { model: "tiny-qwen", created: "2025-01-01T00:00:00.000Z", steps: 3 } as const;
const saved: RunSummary[] = [
  { ...base, runId: "run-3", step: 1, status: "running" },
  { ...base, runId: "run-2", step: 2, status: "running", elsewhere: true },
  { ...base, runId: "run-1", step: 3, status: "finished", name: "three tiny steps" },
];
const t = { v: 1, model: "tiny", question: "q", segments: [], created: "2025-01-01T00:00:00.000Z" } satisfies Trace;

describe("runChoices", () => {
  it("lists every saved run, then the other runs here", () => {
    const choices = runChoices(saved, ["run-1", "file.jsonl", "one.jsonl"], { "run-1": [t], "file.jsonl": [t, t], "one.jsonl": [t] }, "run-3");
    expect(choices.saved).toEqual([
      { id: "run-3", label: "run-3 · tiny-qwen · step 1 of 3 · training in this tab" },
      { id: "run-2", label: "run-2 · tiny-qwen · step 2 of 3 · training in another tab" },
      { id: "run-1", label: "three tiny steps · tiny-qwen · step 3 of 3 · finished" },
    ]);
    expect(choices.other).toEqual([
      { id: "file.jsonl", label: "file.jsonl · 2 traces" },
      { id: "one.jsonl", label: "one.jsonl · 1 trace" },
    ]);
  });

  it("says a run's saved status when this tab trains none", () => {
    expect(runChoices(saved.slice(0, 1), [], {}).saved[0]!.label).toBe("run-3 · tiny-qwen · step 1 of 3 · running");
  });
});
