// Checks the committed tiny model's folder on disk (Node, no GPU): config.json parses as Qwen2, the tokenizer loads through loadTokenizer with every tag one id, model.safetensors holds exactly the tensors and shapes the config needs, the files stay small, and tapo_build.json agrees with them and records the settings, the native trainer's loss curve, the engine's agreement with it, and the accuracy measured greedy and avg@k.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSafetensorsHeader } from "../formats/safetensors";
import { bytesSource, fileSet } from "../io/source";
import { expectedTensors } from "../loader/hf_tensors";
import { readModelConfig } from "../loader/load_model";
import { loadTokenizer } from "../loader/load_tokenizer";
import { readModelHints } from "../rollout/model_hints";
import { getFormat } from "../rollout/formats";
import { TASK_CATEGORIES } from "../protocol/tasks";
import { formatTagTokens } from "./tokenizer_builder";

const DIR = "public/models/tiny";
const names = readdirSync(DIR);
const files = fileSet(DIR, names.map((n) => bytesSource(n, new Uint8Array(readFileSync(join(DIR, n))))));
const record = JSON.parse(readFileSync(join(DIR, "tapo_build.json"), "utf8"));

describe("public/models/tiny", () => {
  it("holds a small Qwen2 folder whose tokenizer and tensors match its config", async () => {
    expect(names.sort()).toEqual([
      "config.json", "model.safetensors", "model.safetensors.index.json", "tapo.json", "tapo_build.json", "tokenizer.json", "tokenizer_config.json",
    ]);
    const bytes = names.reduce((n, f) => n + statSync(join(DIR, f)).size, 0);
    expect(bytes).toBeLessThan(8 * 2 ** 20);
    const { config, kind } = await readModelConfig(files);
    expect(kind).toBe("safetensors");
    expect(config.vocab).toBeLessThanOrEqual(1024);
    const tokenizer = await loadTokenizer(files);
    expect(tokenizer.vocabSize).toBeLessThanOrEqual(config.vocab);
    for (const tag of formatTagTokens(getFormat(record.settings.format))) expect(tokenizer.encode(tag, { addSpecialTokens: false }), tag).toHaveLength(1);
    const header = await readSafetensorsHeader(files.get("model.safetensors")!);
    const want = expectedTensors(config);
    expect([...header.tensors.keys()].sort()).toEqual(want.map((t) => t.name).sort());
    for (const t of want) expect(header.tensors.get(t.name)!.shape, t.name).toEqual(t.shape);
    // The index names the one file for every tensor, with the data's true size.
    const index = JSON.parse(readFileSync(join(DIR, "model.safetensors.index.json"), "utf8"));
    expect(Object.keys(index.weight_map).sort()).toEqual(want.map((t) => t.name).sort());
    expect(new Set(Object.values(index.weight_map))).toEqual(new Set(["model.safetensors"]));
    expect(index.metadata.total_size).toBe(statSync(join(DIR, "model.safetensors")).size - header.dataStart);
  });

  it("records its settings, loss curve and measured accuracy, consistent with the files", async () => {
    const { config } = await readModelConfig(files);
    expect(record.model).toMatchObject(config);
    expect(record.settings.seed).toEqual(expect.any(Number));
    expect(record.sft.steps).toBe(record.settings.sft.steps);
    // The curve keeps every curve_every-th step and the last one.
    const every = record.sft.curve_every;
    expect(record.sft.curve).toHaveLength(Math.ceil(record.sft.steps / every) + ((record.sft.steps - 1) % every === 0 ? 0 : 1));
    expect(record.sft.curve.at(-1)[0]).toBe(record.sft.steps - 1);
    expect(record.sft.final_loss).toBeLessThan(record.sft.first_loss);
    expect(record.sft.held_out_loss_after).toBeLessThan(record.sft.held_out_loss_before);
    // The engine reproduced the native trainer's held-out loss on these weights (the build refuses more than 1e-4).
    expect(Math.abs(record.sft.engine_held_out_loss - record.sft.held_out_loss_after)).toBeLessThanOrEqual(1e-4);
    expect(record.python_responses_checked).toBeGreaterThan(0);
    const n = Object.values(record.settings.measure.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    const k = record.settings.measure.samples;
    for (const [mode, rollouts] of [["greedy", n], [`sampled_avg_at_${k}`, n * k]] as const) {
      const m = record.measured_after_sft[mode];
      expect(m.overall.n, mode).toBe(rollouts);
      for (const c of TASK_CATEGORIES.filter((c) => record.settings.measure.counts[c] > 0)) {
        expect(m.byCategory[c].acc, `${mode} ${c}`).toBeGreaterThanOrEqual(0);
        expect(m.byCategory[c].acc, `${mode} ${c}`).toBeLessThanOrEqual(1);
      }
    }
    expect(record.tokenizer.ids_used).toBe((await loadTokenizer(files)).vocabSize);
    // tapo.json tells the app which format and tool settings the model was trained with.
    expect(await readModelHints(files)).toEqual({ format: record.settings.format, maxTurns: record.settings.maxTurns, searchTopK: record.settings.searchTopK, taskLevel: record.settings.level });
    expect(JSON.parse(readFileSync(join(DIR, "tapo.json"), "utf8"))).toEqual({ format: record.settings.format, maxTurns: record.settings.maxTurns, searchTopK: record.settings.searchTopK, taskLevel: record.settings.level });
  });
});
