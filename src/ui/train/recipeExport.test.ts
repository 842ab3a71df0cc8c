// Checks the Train page's "Scale out" export (Node, no GPU): a run of the bundled tiny model becomes a recipe for a
// real Qwen2.5 with the TAPO format and no adapter, a run of a Hub model keeps its adapter, and the zip holds what
// `tapo recipe` writes, in one folder, with the run's own splits.
import { parquetReadObjects } from "hyparquet";
import { unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RunExport } from "../../protocol/run";
import { resolveDapoConfig } from "../../rl/config";
import { tasksOf } from "../../trainer/request_tasks";
import { BUNDLED_CORPUS_FILE } from "../../tasks/world/bundled";
import { RECIPE_DEFAULT_MODEL, recipeZip, runExperiment } from "./recipeExport";

const corpus = readFileSync(BUNDLED_CORPUS_FILE, "utf8");
const adapterConfig = new TextEncoder().encode(JSON.stringify({ peft_type: "LORA", r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj"] }));

function exported(format: string): RunExport {
  const request = { tasks: { kind: "builtin" as const, seed: 2, level: "tiny" as const }, config: {}, steps: 3, seed: 1, evalEvery: 0, evalTasks: 4, checkpointEvery: 1, format: format as "tapo" };
  return { runId: "run-x", step: 3, adapter: { "adapter_config.json": adapterConfig, "adapter_model.safetensors": new Uint8Array([1, 2, 3]) }, config: resolveDapoConfig({}), request };
}

const text = (files: Record<string, Uint8Array>, name: string) => new TextDecoder().decode(files[name]);

describe("recipeZip", () => {
  it("turns a run of the bundled tiny model into a recipe for a real model, with the TAPO format and a fresh adapter of its shape", async () => {
    const r = recipeZip(runExperiment(exported("tiny")), "tiny", "verl", corpus);
    expect(r.name).toBe("tapo-recipe-verl-run-x.zip");
    const files = unzipSync(r.zip);
    const names = Object.keys(files).map((n) => n.replace("tapo-recipe-verl-run-x/", ""));
    for (const want of ["train.parquet", "test.parquet", "tapo_reward.py", "tapo_tools.py", "corpus.jsonl", "config.yaml", "run.sh", "README.md", "tapo_agent_loop.py"]) expect(names).toContain(want);
    expect(names.some((n) => n.startsWith("adapter/"))).toBe(false);
    expect(r.notes.join("\n")).toMatch(new RegExp(`the experiment ran on tiny; the recipe trains ${RECIPE_DEFAULT_MODEL.replace(".", "\\.")}[\\s\\S]*the recipe uses the tapo format`));
    const config = text(files, "tapo-recipe-verl-run-x/config.yaml");
    expect(config).toMatch(/lora_rank: 4/);
    expect(text(files, "tapo-recipe-verl-run-x/run.sh")).toContain(RECIPE_DEFAULT_MODEL);
    // The run's own splits: the tiny level of seed 2, train and test.
    const train = await parquetReadObjects({ file: files["tapo-recipe-verl-run-x/train.parquet"]!.slice().buffer });
    expect(train.length).toBe(tasksOf({ kind: "builtin", seed: 2, level: "tiny" }).train.length);
    expect(text(files, "tapo-recipe-verl-run-x/tapo_reward.py")).toBe(readFileSync("src/recipe/reward/tapo_reward.py", "utf8"));
  });

  it("makes a recipe of settings alone (no run yet): a fresh adapter of the settings' LoRA shape", () => {
    const { request, config } = exported("tapo");
    const r = recipeZip({ id: "settings", request: { ...request, lora: { r: 8, alpha: 16, targets: ["q", "k", "v"] } }, config }, "Qwen/Qwen2.5-0.5B", "verl", corpus);
    const files = unzipSync(r.zip);
    expect(Object.keys(files).some((n) => n.includes("/adapter/"))).toBe(false);
    expect(text(files, "tapo-recipe-verl-settings/config.yaml")).toMatch(/lora_rank: 8/);
  });

  it("keeps the adapter when the recipe trains the Hub model the run trained", () => {
    const r = recipeZip(runExperiment(exported("tapo")), "Qwen/Qwen2.5-0.5B-Instruct", "trl", corpus);
    const files = unzipSync(r.zip);
    expect(Object.keys(files)).toContain("tapo-recipe-trl-run-x/adapter/adapter_model.safetensors");
    expect(text(files, "tapo-recipe-trl-run-x/config.yaml")).toContain("Qwen/Qwen2.5-0.5B-Instruct");
    expect(r.notes.some((n) => n.startsWith("the experiment ran on"))).toBe(false);
  });
});
