// Checks the files the Train page saves for a run: metrics as CSV (quoted where needed, one column per field),
// JSONL lines, the adapter .zip (one folder of the PEFT files, byte for byte), the config file, and that a
// config file fills the form back exactly or is refused with every problem. Node, no GPU.
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { resolveDapoConfig } from "../../rl/config";
import type { RunExport, StepMetrics } from "../../protocol/run";
import { freshSeed, mulberry32 } from "../../util/random";
import { jsonlText } from "../../util/jsonl_text";
import { adapterZip, configJson, metricsCsv } from "./runFiles";
import { stepMetrics } from "./testing";
import { configIntoForm, initialFormValues, readForm } from "./trainForm";

describe("run files", () => {
  it("writes metrics as CSV with a column per field, and rows as JSONL", () => {
    const metrics: StepMetrics[] = [stepMetrics(1), { ...stepMetrics(2), tokens_generated: 120 }];
    const csv = metricsCsv(metrics).trimEnd().split("\n");
    const header = csv[0]!.split(",");
    expect(header[0]).toBe("step");
    expect(header).toContain("tokens_generated");
    expect(csv).toHaveLength(3);
    const col = (row: number, name: string) => csv[row]!.split(",")[header.indexOf(name)];
    expect(col(1, "reward")).toBe(String(metrics[0]!.reward));
    expect(col(1, "tokens_generated")).toBe(""); // step 1 had none
    expect(col(2, "tokens_generated")).toBe("120");
    expect(metricsCsv([{ ...stepMetrics(1), note: 'a "b", c' } as unknown as StepMetrics])).toContain('"a ""b"", c"');
    expect(jsonlText(metrics).split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown)).toEqual(metrics);
  });

  it("zips the adapter's files byte for byte into one folder named for the run and step", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const bytes = Uint8Array.from({ length: 5000 }, () => Math.floor(rand() * 256));
    const exported: RunExport = {
      runId: "run-7",
      step: 12,
      adapter: { "adapter_config.json": new TextEncoder().encode('{"r": 4}'), "adapter_model.safetensors": bytes },
      config: resolveDapoConfig({}),
      request: { tasks: { kind: "builtin", seed: 1 }, config: {}, steps: 12, seed: 1, evalEvery: 0, evalTasks: 0, checkpointEvery: 1 },
    };
    const files = unzipSync(adapterZip(exported));
    expect(Object.keys(files).sort()).toEqual(["run-7-step12-adapter/adapter_config.json", "run-7-step12-adapter/adapter_model.safetensors"]);
    expect(files["run-7-step12-adapter/adapter_model.safetensors"]).toEqual(bytes);
    expect(JSON.parse(configJson(exported))).toEqual(exported.config);
  });

  it("fills the form from a saved config exactly, and refuses a bad one whole", () => {
    const config = resolveDapoConfig({ groupSize: 4, learningRate: 2e-4, temperature: 0.9 });
    const loaded = configIntoForm(JSON.parse(configJson({ config })), initialFormValues());
    expect(loaded.problems).toEqual([]);
    expect(readForm(loaded.values!).config).toEqual(config);
    const form = initialFormValues();
    const bad = configIntoForm({ groupSize: 1, lerningRate: 0.1, temperature: "hot" }, form);
    expect(bad.values).toBeUndefined();
    expect(bad.problems).toEqual(["lerningRate is not a setting", 'temperature must be a number, got "hot"']);
    expect(configIntoForm({ groupSize: 1 }, form).problems[0]).toMatch(/groupSize is 1 but must be/);
    expect(configIntoForm([1, 2], form).problems).toEqual(["the file must hold one JSON object of settings"]);
  });
});
