// Checks `tapo export`'s files on the CPU (no GPU): a random Qwen2 (biases, GQA,
// untied head) with a random adapter, exported as safetensors and as f32 GGUF,
// loads back through our own loaders with weights bit-identical to the merge and
// the same tokenizer; f16/q8_0/q4_0 GGUF within their rounding; bad dtypes and
// mismatched adapters are refused with clear errors.
import { describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { memoryFileSet } from "../loader/hf_testing";
import { PeftAdapterError } from "../model/peft";
import { type ModelWeights, tensorsOf } from "../model/weights";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { dequantize } from "../quant/weights";
import { checkExportSize, exportTarget } from "./dtypes";
import { ExportError } from "./errors";
import { exportModel } from "./export";
import { mergeLora } from "./merge";
import { readExportSource } from "./source";
import { exportTestConfig, randomAdapter, randomModelFolder } from "./testing";

/** Largest |a - b| over every tensor of two models with the same config. */
function maxWeightDiff(a: ModelWeights, b: ModelWeights): number {
  const bt = new Map(tensorsOf(b).map((t) => [t.name, t.value]));
  let m = 0;
  for (const { name, value } of tensorsOf(a)) {
    const other = bt.get(name)!;
    const x = value instanceof Float32Array ? value : dequantize(value);
    const y = other instanceof Float32Array ? other : dequantize(other);
    expect(x.length, name).toBe(y.length);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return m;
}

const { weights, files } = randomModelFolder(21);
const adapter = randomAdapter(exportTestConfig(), 22);
const merged = mergeLora(weights, adapter.lora);
const sample = "The answer is 42.\nsearch: <think>why</think>";

async function tokenizerOf(f: Map<string, Uint8Array>): Promise<QwenTokenizer> {
  const src = await readExportSource(memoryFileSet("export", f));
  return QwenTokenizer.fromFiles(src.tokenizerJson, src.tokenizerConfig);
}

describe("exportModel", () => {
  it("writes a safetensors folder that loads back to the merged weights exactly", async () => {
    const out = await exportModel({ model: files, adapter: adapter.files, format: "safetensors", dtype: "f32" });
    expect([...out.files.keys()].sort()).toEqual(["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]);
    expect(out.merged).toEqual({ layers: 2, r: 4, alpha: 8, targets: ["q", "k", "v", "o", "gate", "up", "down"] });
    const back = await readExportSource(memoryFileSet("export", out.files));
    expect(back.weights.config).toEqual(weights.config);
    expect(maxWeightDiff(back.weights, merged)).toBe(0);
    expect(maxWeightDiff(back.weights, weights)).toBeGreaterThan(1e-2);
    const config = JSON.parse(new TextDecoder().decode(out.files.get("tokenizer_config.json")));
    expect(config.chat_template).toContain("<|im_start|>");
  });

  it("writes an f32 GGUF that loads back to the merged weights exactly, with the same tokenizer", async () => {
    const out = await exportModel({ model: files, adapter: adapter.files, format: "gguf", dtype: "f32" });
    expect([...out.files.keys()]).toEqual(["model.gguf"]);
    const back = await readExportSource(fileSet("gguf", [bytesSource("model.gguf", out.files.get("model.gguf")!)]));
    // GGUF stores rms_norm_eps as a float32, as llama.cpp reads it.
    expect(back.weights.config).toEqual({ ...weights.config, rmsEps: Math.fround(weights.config.rmsEps) });
    expect(maxWeightDiff(back.weights, merged)).toBe(0);
    const original = await tokenizerOf(new Map([...(await exportModel({ model: files, format: "safetensors", dtype: "f32" })).files]));
    const roundTrip = QwenTokenizer.fromFiles(back.tokenizerJson, back.tokenizerConfig);
    expect(roundTrip.encode(sample)).toEqual(original.encode(sample));
    expect(roundTrip.encode("<|im_start|>user\nhi<|im_end|>")).toEqual([756, ...original.encode("user\nhi"), 757]);
    expect(back.ggufTokenizer.eosId).toBe(757);
    expect(back.ggufTokenizer.padId).toBe(755);
    expect(back.ggufTokenizer.chatTemplate).toContain("<|im_start|>");
  });

  it("a GGUF export of a GGUF export is the same file", async () => {
    const first = (await exportModel({ model: files, format: "gguf", dtype: "f32", name: "m" })).files.get("model.gguf")!;
    const again = await exportModel({ model: fileSet("gguf", [bytesSource("model.gguf", first)]), format: "gguf", dtype: "f32", name: "m" });
    expect(again.files.get("model.gguf")).toEqual(first);
  });

  it.each([
    ["f16", 2e-3],
    ["q8_0", 2e-2],
    ["q4_0", 0.3],
  ] as const)("writes a %s GGUF within that dtype's rounding", async (dtype, tolerance) => {
    const out = await exportModel({ model: files, adapter: adapter.files, format: "gguf", dtype });
    const back = await readExportSource(fileSet("gguf", [bytesSource("model.gguf", out.files.get("model.gguf")!)]));
    const diff = maxWeightDiff(back.weights, merged);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(tolerance);
  });

  it("writes an f16 safetensors folder within f16 rounding", async () => {
    const out = await exportModel({ model: files, format: "safetensors", dtype: "f16" });
    const back = await readExportSource(memoryFileSet("export", out.files));
    const diff = maxWeightDiff(back.weights, weights);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(2e-3);
  });

  it("refuses an adapter trained for another model", async () => {
    const other = randomAdapter(exportTestConfig({ hidden: 96, heads: 6, kvHeads: 2 }), 5);
    await expect(exportModel({ model: files, adapter: other.files, format: "gguf", dtype: "f32" })).rejects.toThrow(PeftAdapterError);
    await expect(exportModel({ model: files, adapter: other.files, format: "gguf", dtype: "f32" })).rejects.toThrow(/different base model/);
  });

  it("refuses a dtype the format cannot hold, and an unknown format", () => {
    expect(() => exportTarget("safetensors", "q4_0")).toThrow(ExportError);
    expect(() => exportTarget("safetensors", "q8_0")).toThrow(/cannot hold --dtype q8_0.*use --to gguf/);
    expect(() => exportTarget("onnx", "f32")).toThrow(/--to must be safetensors or gguf/);
    expect(() => exportTarget("gguf", "bf16")).toThrow(/--dtype must be one of/);
    expect(exportTarget("gguf", undefined)).toEqual({ format: "gguf", dtype: "f32" });
  });

  it("refuses, before loading, an export larger than one in-memory file can hold", () => {
    // Qwen2.5-1.5B: about 1.54e9 matrix weights.
    expect(() => checkExportSize(1.54e9, 1e6, "gguf", "f32")).toThrow(/5\.7 GiB.*--dtype f16 or q8_0 or q4_0/);
    expect(() => checkExportSize(1.54e9, 1e6, "safetensors", "f32")).toThrow(/--dtype f16/);
    expect(() => checkExportSize(3.1e9, 1e6, "safetensors", "f16")).toThrow(/--to gguf with --dtype q8_0 or q4_0/);
    expect(() => checkExportSize(8e9, 1e6, "gguf", "q4_0")).toThrow(/not exported yet/);
    expect(checkExportSize(1.54e9, 1e6, "gguf", "q8_0")).toBeCloseTo(1.54e9 * (34 / 32) + 4e6, -3);
  });
});
