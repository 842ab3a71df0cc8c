// Checks loading tiny random Qwen2 models from Hugging Face folders (F32/BF16, sharded, tied/untied, f32/q8_0/q4_0), progress, cancellation and every refusal. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { readSafetensorsHeader } from "../formats/safetensors";
import { type Qwen2Config } from "../model/config";
import { tinyConfig, randomSequences } from "../model/testing";
import { type ModelWeights, hfLinearName, randomWeights } from "../model/weights";
import { dequantize, quantize } from "../quant/weights";
import { type WeightFormat } from "../protocol/tensors";
import { refModel, refSequence } from "../ref/model";
import { freshSeed } from "../util/random";
import { INDEX_FILE, collectModelWeights, loadHfFolder } from "./hf_folder";
import { type HfFolderWriteOptions, hfFolderBytes, hfTensorValues, memoryFileSet } from "./hf_testing";
import { LoadCancelledError, type LoadProgress } from "./load_progress";

/** Rounds every value of the model to bf16 (dropping low bits), so a BF16 file holds it exactly. */
function toBf16(w: ModelWeights): ModelWeights {
  const round = (a: Float32Array) => {
    const out = Float32Array.from(a);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) bits[i] = (bits[i] as number) & 0xffff0000;
    return out;
  };
  const m = (x: ModelWeights["embed"]) => quantize(round(Float32Array.from(dequantize(x))), x.rows, x.cols, "f32");
  return {
    config: w.config,
    embed: m(w.embed),
    layers: w.layers.map((l) => ({
      attnNorm: round(l.attnNorm),
      mlpNorm: round(l.mlpNorm),
      linear: Object.fromEntries(Object.entries(l.linear).map(([k, v]) => [k, m(v)])) as typeof l.linear,
      bias: { q: round(l.bias.q), k: round(l.bias.k), v: round(l.bias.v) },
    })),
    finalNorm: round(w.finalNorm),
    lmHead: w.lmHead && m(w.lmHead),
  };
}

/** Loads a folder written from `w` through loadHfFolder + collectModelWeights. */
async function roundTrip(w: ModelWeights, quant: WeightFormat, write: HfFolderWriteOptions = {}, chunkBytes = 1200) {
  const files = memoryFileSet("test folder", hfFolderBytes(w, write));
  const collect = collectModelWeights(w.config);
  const progress: LoadProgress[] = [];
  const result = await loadHfFolder(files, { quant, sink: collect.sink, chunkBytes, onProgress: (p) => progress.push(p) });
  return { ...result, weights: collect.finish(), progress, files };
}

/** Every tensor of `w` with matrices quantized to `quant` (what the loader must produce from f32 values). */
function expected(w: ModelWeights, quant: WeightFormat): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const values = hfTensorValues(w);
  for (const [name, v] of values) {
    const isMatrix = name.endsWith("embed_tokens.weight") || name === "lm_head.weight" || /_proj\.weight$/.test(name);
    if (!isMatrix) {
      out.set(name, values.get(name));
      continue;
    }
    const cols = name.endsWith("down_proj.weight") ? w.config.intermediate : w.config.hidden;
    out.set(name, quantize(v, v.length / cols, cols, quant));
  }
  return out;
}

function loadedTensors(w: ModelWeights): Map<string, unknown> {
  const out = new Map<string, unknown>([
    ["model.embed_tokens.weight", w.embed],
    ["model.norm.weight", w.finalNorm],
  ]);
  if (w.lmHead) out.set("lm_head.weight", w.lmHead);
  w.layers.forEach((l, i) => {
    out.set(`model.layers.${i}.input_layernorm.weight`, l.attnNorm);
    out.set(`model.layers.${i}.post_attention_layernorm.weight`, l.mlpNorm);
    for (const [k, v] of Object.entries(l.linear)) out.set(hfLinearName(i, k as "q"), v);
    for (const [k, v] of Object.entries(l.bias)) out.set(hfLinearName(i, k as "q", "bias"), v);
  });
  return out;
}

const configs: [string, Qwen2Config][] = [
  ["tied", tinyConfig()],
  ["untied", tinyConfig({ tieEmbeddings: false, layers: 3 })],
];

describe("loadHfFolder", () => {
  const seed = freshSeed();

  for (const [label, config] of configs) {
    it(`loads an F32 ${label} model bit for bit in f32, and as quantize() in q8_0/q4_0 (seed ${seed})`, async () => {
      const w = randomWeights(config, seed);
      for (const quant of ["f32", "q8_0", "q4_0"] as const) {
        const { weights, emitted, config: read } = await roundTrip(w, quant);
        expect(read).toEqual(config);
        const want = expected(w, quant);
        expect(new Set(emitted)).toEqual(new Set(want.keys()));
        const got = loadedTensors(weights);
        for (const [name, value] of want) expect(got.get(name), `${quant} ${name}`).toEqual(value);
        expect(emitted.includes("lm_head.weight")).toBe(!config.tieEmbeddings);
        if (quant === "f32") expect(weights).toEqual(w);
      }
    });

    it(`loads a BF16 ${label} model exactly, sharded over 3 files with an index (seed ${seed})`, async () => {
      const w = toBf16(randomWeights(config, seed));
      const { weights, files } = await roundTrip(w, "f32", { dtype: "BF16", shards: 3 });
      expect(files.list().filter((n) => n.endsWith(".safetensors"))).toHaveLength(3);
      expect(files.get(INDEX_FILE)).toBeDefined();
      expect(weights).toEqual(w);
    });
  }

  it(`gives quantized models log-probs close to the f32 model's (seed ${seed})`, async () => {
    const config = tinyConfig({ tieEmbeddings: false });
    const w = randomWeights(config, seed);
    const seqs = randomSequences(seed, [9, 5], config.vocab);
    const base = refModel(w);
    // Over 59 seeds the worst |Δ log p| was 0.013 (q8_0) and 0.20 (q4_0); a misplaced block or scale gives errors of order 1.
    for (const [quant, tol] of [["q8_0", 0.05], ["q4_0", 0.6]] as const) {
      const { weights } = await roundTrip(w, quant, { dtype: "F32", shards: 2 });
      const ref = refModel(weights);
      let worst = 0;
      for (const s of seqs) {
        const a = refSequence(base, s).logp;
        const b = refSequence(ref, s).logp;
        for (let t = 0; t < a.length; t++) worst = Math.max(worst, Math.abs((a[t] as number) - (b[t] as number)));
      }
      expect(worst, `${quant}: worst |Δ log p|`).toBeLessThan(tol);
      expect(worst, `${quant} must differ from f32 at all`).toBeGreaterThan(0);
    }
  });

  it(`reports progress in tensor bytes up to the sum over every shard's data (seed ${seed})`, async () => {
    const w = randomWeights(tinyConfig({ tieEmbeddings: false }), seed);
    const { progress, files } = await roundTrip(w, "q8_0", { dtype: "BF16", shards: 2 }, 700);
    let dataBytes = 0;
    for (const name of files.list().filter((n) => n.endsWith(".safetensors"))) {
      const src = files.get(name)!;
      dataBytes += src.size - (await readSafetensorsHeader(src)).dataStart;
    }
    expect(progress.every((p) => p.bytesTotal === dataBytes)).toBe(true);
    expect(progress[0]!.bytesDone).toBe(0);
    expect(progress.at(-1)!.bytesDone).toBe(dataBytes);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytesDone).toBeGreaterThan(progress[i - 1]!.bytesDone);
    // The 67-row embedding in BF16 (128 bytes a row) comes in chunks of at most 700 bytes: 5 rows.
    expect(progress.length).toBeGreaterThan(Math.ceil(67 / 5));
  });

  it(`stops with LoadCancelledError between chunks when the signal fires (seed ${seed})`, async () => {
    const w = randomWeights(tinyConfig(), seed);
    const files = memoryFileSet("cancel", hfFolderBytes(w));
    const controller = new AbortController();
    const seen: string[] = [];
    let reports = 0;
    const run = loadHfFolder(files, {
      quant: "f32",
      chunkBytes: 512,
      signal: controller.signal,
      sink: (t) => void seen.push(t.name),
      onProgress: () => {
        if (++reports === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(LoadCancelledError);
    expect(seen).toEqual([]); // the embedding (first tensor) was never finished
  });

  it("ignores lm_head.weight in a tied model's files", async () => {
    const config = tinyConfig();
    const w = randomWeights(config, 7);
    const extra = [{ name: "lm_head.weight", dtype: "F32" as const, shape: [config.vocab, config.hidden], data: new Float32Array(config.vocab * config.hidden) }];
    const { emitted, weights } = await roundTrip(w, "f32", { extra });
    expect(emitted).not.toContain("lm_head.weight");
    expect(weights.lmHead).toBeUndefined();
  });
});

describe("loadHfFolder refusals", () => {
  const config = tinyConfig({ tieEmbeddings: false });
  const w = randomWeights(config, 11);
  const load = (files: Map<string, Uint8Array>) =>
    loadHfFolder(memoryFileSet("my-folder", files), { quant: "q8_0", sink: () => undefined });

  it("lists the folder's files when config.json is missing", async () => {
    const files = hfFolderBytes(w);
    files.delete("config.json");
    files.set("tokenizer.json", new Uint8Array(2));
    await expect(load(files)).rejects.toThrow(/my-folder has no config.json \(it has: model.safetensors, tokenizer.json\)/);
  });

  it("names a shard the index lists but the folder lacks", async () => {
    const files = hfFolderBytes(w, { shards: 2 });
    files.delete("model-00002-of-00002.safetensors");
    await expect(load(files)).rejects.toThrow(/names the shard model-00002-of-00002.safetensors \(holding [\w.]+\), but my-folder has no such file/);
  });

  it("says there are no weights, and that .bin files are not read", async () => {
    const files = hfFolderBytes(w);
    files.delete("model.safetensors");
    files.set("pytorch_model.bin", new Uint8Array(4));
    await expect(load(files)).rejects.toThrow(/has no model.safetensors or model.safetensors.index.json .*PyTorch .bin weights are not read/);
  });

  it("names a missing required tensor", async () => {
    for (const name of ["model.layers.1.self_attn.k_proj.bias", "lm_head.weight", "model.norm.weight"]) {
      await expect(load(hfFolderBytes(w, { drop: [name] }))).rejects.toThrow(new RegExp(`my-folder has no tensor ${name.replace(/\./g, "\\.")}`));
    }
  });

  it("gives both shapes when the weights disagree with config.json", async () => {
    const files = hfFolderBytes(w);
    const wider = { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2,
      num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 67, tie_word_embeddings: false };
    files.set("config.json", new TextEncoder().encode(JSON.stringify(wider)));
    await expect(load(files)).rejects.toThrow(
      /tensor model\.layers\.0\.mlp\.gate_proj\.weight in model\.safetensors has shape \[96, 64\] but config\.json implies \[128, 64\]/,
    );
  });

  it("refuses a weight stored in an integer dtype before reading data", async () => {
    const files = hfFolderBytes(w, { drop: ["model.norm.weight"] });
    const bytes = files.get("model.safetensors")!;
    const src = memoryFileSet("x", files).get("model.safetensors")!;
    const header = await readSafetensorsHeader(src);
    // Rewrite the header: the (dropped) final norm comes back as an I32 tensor of the right shape appended at the end.
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, header.dataStart))) as Record<string, unknown>;
    const dataLen = bytes.length - header.dataStart;
    json["model.norm.weight"] = { dtype: "I32", shape: [64], data_offsets: [dataLen, dataLen + 256] };
    const text = new TextEncoder().encode(JSON.stringify(json));
    const out = new Uint8Array(8 + text.length + dataLen + 256);
    new DataView(out.buffer).setUint32(0, text.length, true);
    out.set(text, 8);
    out.set(bytes.subarray(header.dataStart), 8 + text.length);
    files.set("model.safetensors", out);
    const sunk: string[] = [];
    await expect(
      loadHfFolder(memoryFileSet("int", files), { quant: "f32", sink: (t) => void sunk.push(t.name) }),
    ).rejects.toThrow(/unknown dtype I32 in tensor model.norm.weight of model.safetensors/);
    expect(sunk).toEqual([]);
  });

  it("names the missing tensor at collectModelWeights().finish()", () => {
    const collect = collectModelWeights(config);
    expect(() => collect.finish()).toThrow(/tensor model.embed_tokens.weight was never loaded/);
    void collect.sink({ name: "model.embed_tokens.weight", value: w.embed });
    expect(() => collect.finish()).toThrow(/tensor model.layers.0.input_layernorm.weight was never loaded/);
    expect(() => collect.sink({ name: "model.norm.weight", value: new Float32Array(3) })).toThrow(/expected vector shape \[64\]/);
  });
});
