// Checks how `tapo train`, `tapo eval` and the trainer worker fill a request from the model's tapo.json (Node, no GPU): the format and the tool-call limit the model learned apply only where the request says nothing;
// and which settings of a new request differ from a saved run's (what `tapo train` says it ignores when it resumes).
import { describe, expect, it } from "vitest";
import type { TrainRequest } from "../protocol/run";
import { requestDifferences, withHints, withTaskLevel } from "./run_setup";

const request = (over: Partial<TrainRequest> = {}): TrainRequest => ({ tasks: { kind: "builtin", seed: 1 }, config: {}, steps: 1, seed: 1, evalEvery: 0, evalTasks: 1, checkpointEvery: 1, ...over });

describe("withHints", () => {
  it("takes the model's format and maxTurns where the request has none, and keeps the request's own", () => {
    expect(withHints(request(), { format: "tiny", maxTurns: 2 })).toMatchObject({ format: "tiny", config: { maxTurns: 2 } });
    expect(withHints(request({ format: "tapo", config: { maxTurns: 3, groupSize: 4 } }), { format: "tiny", maxTurns: 2 })).toMatchObject({ format: "tapo", config: { maxTurns: 3, groupSize: 4 } });
    expect(withHints(request({ config: { groupSize: 4 } }), {})).toEqual(request({ config: { groupSize: 4 } }));
  });
});

describe("withTaskLevel", () => {
  it("gives built-in tasks that name no level nor category the model's level, and keeps what the request names", () => {
    expect(withHints(request(), { taskLevel: "tiny" }).tasks).toEqual({ kind: "builtin", seed: 1, level: "tiny" });
    expect(withTaskLevel({ kind: "builtin", seed: 1, level: "full" }, { taskLevel: "tiny" })).toEqual({ kind: "builtin", seed: 1, level: "full" });
    expect(withTaskLevel({ kind: "builtin", seed: 1, counts: { mixed: 40 } }, { taskLevel: "tiny" })).toEqual({ kind: "builtin", seed: 1, counts: { mixed: 40 } });
    expect(withTaskLevel({ kind: "builtin", seed: 1 }, {})).toEqual({ kind: "builtin", seed: 1 });
    const file = { kind: "tasks" as const, label: "f.jsonl", train: [], test: [] };
    expect(withTaskLevel(file, { taskLevel: "tiny" })).toBe(file);
  });
});

describe("requestDifferences", () => {
  it("names each setting that differs with both values, and ignores the step count and key order", () => {
    const saved = request({ seed: 1, config: { groupSize: 4, maxTurns: 2 }, lora: { r: 16, alpha: 32, targets: ["q", "v"] } });
    expect(requestDifferences(saved, { ...saved, steps: 9, config: { maxTurns: 2, groupSize: 4 } })).toEqual([]);
    const given = { ...saved, seed: 2, config: { groupSize: 8, maxTurns: 2 }, searchBackend: "wikipedia", lora: { r: 16, alpha: 32, targets: ["q", "k", "v"] as const } };
    expect(requestDifferences(saved, { ...given, lora: { ...given.lora, targets: [...given.lora.targets] } })).toEqual([
      'config (given {"groupSize":8,"maxTurns":2}, saved {"groupSize":4,"maxTurns":2})',
      "seed (given 2, saved 1)",
      'lora (given {"r":16,"alpha":32,"targets":["q","k","v"]}, saved {"r":16,"alpha":32,"targets":["q","v"]})',
      'searchBackend (given "wikipedia", saved none)',
    ]);
  });
});
