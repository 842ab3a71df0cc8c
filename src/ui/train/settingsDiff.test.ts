// Checks the compared runs' settings table (Node, no GPU): a setting left at its default and one set to the default
// agree, each differing setting is one row with every run's value, and the task sources read as words.
import { describe, expect, it } from "vitest";
import type { TrainRequest } from "../../protocol/run";
import { DEFAULT_DAPO_CONFIG } from "../../rl/config";
import { flattenSettings, settingsDiff } from "./settingsDiff";

const request = (over: Partial<TrainRequest> = {}): TrainRequest => ({ tasks: { kind: "builtin", seed: 1, level: "tiny" }, config: {}, steps: 8, seed: 1, evalEvery: 0, evalTasks: 16, checkpointEvery: 1, ...over });

describe("settingsDiff", () => {
  it("lists only the settings that differ, one value a run, defaults filled in", () => {
    const runs = [
      { label: "a", model: "tiny", request: request({ config: { groupSize: DEFAULT_DAPO_CONFIG.groupSize } }) },
      { label: "b", model: "tiny", request: request({ config: { learningRate: 3e-4 }, steps: 16 }) },
      { label: "c", model: "tiny", request: request({ lora: { r: 4, alpha: 8, targets: ["q", "v"] } }) },
    ];
    expect(settingsDiff(runs)).toEqual([
      { setting: "steps", values: ["8", "16", "8"] },
      { setting: "LoRA r", values: ["16", "16", "4"] },
      { setting: "LoRA alpha", values: ["32", "32", "8"] },
      { setting: "LoRA targets", values: ["q,k,v,o,gate,up,down", "q,k,v,o,gate,up,down", "q,v"] },
      { setting: "learningRate", values: [String(DEFAULT_DAPO_CONFIG.learningRate), "0.0003", String(DEFAULT_DAPO_CONFIG.learningRate)] },
    ]);
    expect(settingsDiff(runs.slice(0, 1))).toEqual([]);
    expect(settingsDiff(runs.slice(0, 1), true).length).toBeGreaterThan(20);
  });

  it("describes built-in and imported tasks in words", () => {
    const file = request({ tasks: { kind: "tasks", label: "qa.jsonl", train: [{ id: "1", question: "q", answers: ["a"], data_source: "qa" }], test: [] } });
    expect(flattenSettings({ label: "f", model: "m", request: file }).get("tasks")).toBe("qa.jsonl (1 train, 0 held out)");
    const counts = request({ tasks: { kind: "builtin", seed: 3, counts: { compute: 40 } } });
    expect(flattenSettings({ label: "g", model: "m", request: counts }).get("tasks")).toBe("built-in, full level, seed 3, compute 40");
  });
});
