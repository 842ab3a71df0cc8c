// Checks loading tiny random Qwen2 GGUF files (tied/untied; F32, Q8_0, Q4_0, F16, K-quant and BF16 tensors), reference log-probs after the round trip, tokenizer metadata, progress, cancellation and every refusal. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { GGML_TYPE, readGgufHeader, writeGguf, type GgufTensorData } from "../formats/gguf";
import { bytesSource } from "../io/source";
import { tinyConfig, randomSequences } from "../model/testing";
import { randomWeights, type ModelWeights } from "../model/weights";
import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from "../quant/f16";
import { dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1, Q4_1_BYTES, Q5_0_BYTES, Q5_1_BYTES } from "../quant/ggml_legacy_quants";
import { dequantizeQ4K, dequantizeQ5K, dequantizeQ6K } from "../quant/kquants";
import { quantizeKTensor } from "../quant/kquants_testing";
import { dequantize, quantize } from "../quant/weights";
import { type WeightFormat, type WeightMatrix } from "../protocol/tensors";
import { refModel, refSequence } from "../ref/model";
import { freshSeed, mulberry32 } from "../util/random";
import { configFromGguf, ggufTokenizerMetadata, loadGgufModel, qwen2GgufParts, writeQwen2Gguf, type GgufTokenizerMetadata } from "./gguf_model";
import { collectModelWeights } from "./hf_folder";
import { LoadCancelledError, type LoadProgress } from "./load_progress";

// rmsEps exactly representable in f32, so the FLOAT32 metadata gives back the same config.
const config = (tied: boolean) => tinyConfig({ tieEmbeddings: tied, rmsEps: 2 ** -20, ropeTheta: 1_000_000 });

async function load(file: Uint8Array, quant: WeightFormat, cfg = config(true), chunkBytes = 700) {
  const collect = collectModelWeights(cfg);
  const progress: LoadProgress[] = [];
  const result = await loadGgufModel(bytesSource("tiny.gguf", file), {
    quant,
    sink: collect.sink,
    chunkBytes,
    onProgress: (p) => progress.push(p),
  });
  return { ...result, weights: collect.finish(), progress };
}

/** Every matrix and vector of a model, by a readable key. */
function tensorsOf(w: ModelWeights): Map<string, WeightMatrix | Float32Array> {
  const out = new Map<string, WeightMatrix | Float32Array>([
    ["embed", w.embed],
    ["finalNorm", w.finalNorm],
  ]);
  if (w.lmHead) out.set("lmHead", w.lmHead);
  w.layers.forEach((l, i) => {
    out.set(`${i}.attnNorm`, l.attnNorm);
    out.set(`${i}.mlpNorm`, l.mlpNorm);
    for (const [k, m] of Object.entries(l.linear)) out.set(`${i}.${k}`, m);
    for (const [k, b] of Object.entries(l.bias)) out.set(`${i}.bias.${k}`, b);
  });
  return out;
}

function expectSameBits(got: ModelWeights, want: ModelWeights, label: string): void {
  const a = tensorsOf(got);
  const b = tensorsOf(want);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, x] of b) {
    const y = a.get(key)!;
    if (x instanceof Float32Array) {
      expect(y, `${label} ${key}`).toBeInstanceOf(Float32Array);
      expect(new Uint32Array((y as Float32Array).buffer), `${label} ${key}`).toEqual(new Uint32Array(Float32Array.from(x).buffer));
    } else {
      const m = y as WeightMatrix;
      expect([m.format, m.rows, m.cols], `${label} ${key}`).toEqual([x.format, x.rows, x.cols]);
      expect(m.data, `${label} ${key} data`).toEqual(x.data);
      expect(m.scales, `${label} ${key} scales`).toEqual(x.scales);
    }
  }
}

describe("loadGgufModel round trip", () => {
  const seed = freshSeed();
  for (const tied of [true, false]) {
    for (const format of ["f32", "q8_0", "q4_0"] as const) {
      // Q4_0/Q8_0 are kept as they are whatever quant is asked; F32 is asked to stay f32.
      const quant: WeightFormat = format === "f32" ? "f32" : format === "q8_0" ? "q4_0" : "f32";
      it(`${tied ? "tied" : "untied"} ${format} model comes back bit for bit, with equal reference log-probs (seed ${seed})`, async () => {
        const cfg = config(tied);
        const w = randomWeights(cfg, seed, format);
        const { config: got, weights, progress, header } = await load(writeQwen2Gguf(w, { types: "native" }), quant, cfg);
        expect(got).toEqual(cfg);
        expectSameBits(weights, w, `${tied} ${format}`);
        const total = header.tensors.reduce((n, t) => n + t.bytes, 0);
        expect(progress.at(-1)).toEqual({ bytesDone: total, bytesTotal: total, file: "tiny.gguf" });
        expect(progress.every((p, i) => i === 0 || p.bytesDone > progress[i - 1]!.bytesDone)).toBe(true);
        const [seq] = randomSequences(seed, [9], cfg.vocab);
        const want = refSequence(refModel(w), seq!);
        const have = refSequence(refModel(weights), seq!);
        expect(Array.from(have.logp)).toEqual(Array.from(want.logp));
      });
    }
  }

  it(`converts F16 matrices to the asked format from their f16 values (seed ${seed})`, async () => {
    const cfg = config(false);
    const w = randomWeights(cfg, seed + 1, "f32");
    const file = writeQwen2Gguf(w, { types: "f16" });
    const asF16 = (m: WeightMatrix) => Float32Array.from(dequantize(m), (v) => f16BitsToF32(f32ToF16Bits(v)));
    for (const quant of ["f32", "q8_0"] as const) {
      const { weights } = await load(file, quant, cfg);
      for (const [key, m] of tensorsOf(w)) {
        if (m instanceof Float32Array) continue;
        const got = tensorsOf(weights).get(key) as WeightMatrix;
        const want = quantize(asF16(m), m.rows, m.cols, quant);
        expect(got.data, `${quant} ${key}`).toEqual(want.data);
        expect(got.scales, `${quant} ${key}`).toEqual(want.scales);
      }
    }
  });

  it(`reassembles Q4_0 blocks read one row at a time (odd block counts per read) (seed ${seed})`, async () => {
    const cfg = config(true);
    const w = randomWeights(cfg, seed + 2, "q4_0");
    // A 40-byte chunk reads one row at a time; down_proj rows are 96 columns = 3 blocks, so every
    // other chunk starts in the high half of a packed scale word.
    const { weights } = await load(writeQwen2Gguf(w, { types: "native" }), "f32", cfg, 40);
    expectSameBits(weights, w, "row by row");
  });
});

/** Random 32-weight blocks of `blockBytes` (f16 scale 2^-6 and, for Q4_1/Q5_1, min −2^-4; random codes). */
function legacyBlocks(rand: () => number, blocks: number, blockBytes: number): Uint8Array {
  const out = Uint8Array.from({ length: blocks * blockBytes }, () => Math.floor(rand() * 256));
  for (let b = 0; b < blocks; b++) {
    out.set([0x00, 0x24], b * blockBytes); // d = 2^-6
    if (blockBytes !== 22) out.set([0x00, 0xac], b * blockBytes + 2); // m = −2^-4
  }
  return out;
}

describe("loadGgufModel with K-quants, BF16 and Q4_1/Q5_0/Q5_1", () => {
  const seed = freshSeed();
  // hidden = MLP width = 256 so rows hold whole 256-weight super-blocks.
  const cfg = tinyConfig({ hidden: 256, heads: 4, kvHeads: 2, headDim: 64, intermediate: 256, layers: 1, rmsEps: 2 ** -20 });

  it(`dequantizes Q4_K/Q5_K/Q6_K/BF16/Q4_1/Q5_0/Q5_1 tensors and quantizes them to the asked format (seed ${seed})`, async () => {
    const w = randomWeights(cfg, seed, "f32");
    const parts = qwen2GgufParts(w, { types: "native" });
    const replaced = new Map<string, { type: number; values: Float32Array }>();
    const kinds = [
      ["token_embd.weight", "q6_k", GGML_TYPE.Q6_K, dequantizeQ6K],
      ["blk.0.attn_q.weight", "q4_k", GGML_TYPE.Q4_K, dequantizeQ4K],
      ["blk.0.ffn_up.weight", "q5_k", GGML_TYPE.Q5_K, dequantizeQ5K],
    ] as const;
    const rand = mulberry32(seed);
    const legacyKinds = [
      ["blk.0.attn_k.weight", GGML_TYPE.Q5_0, Q5_0_BYTES, dequantizeQ5_0],
      ["blk.0.attn_v.weight", GGML_TYPE.Q5_1, Q5_1_BYTES, dequantizeQ5_1],
      ["blk.0.ffn_gate.weight", GGML_TYPE.Q4_1, Q4_1_BYTES, dequantizeQ4_1],
    ] as const;
    const tensors: GgufTensorData[] = parts.tensors.map((t) => {
      const kind = kinds.find(([name]) => name === t.name);
      const f32 = new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.length));
      if (kind) {
        const data = quantizeKTensor(f32, kind[1]);
        const values = new Float32Array(f32.length);
        kind[3](data, values);
        replaced.set(t.name, { type: kind[2], values });
        return { ...t, type: kind[2], data };
      }
      const legacy = legacyKinds.find(([name]) => name === t.name);
      if (legacy) {
        const data = legacyBlocks(rand, f32.length / 32, legacy[2]);
        const values = new Float32Array(f32.length);
        legacy[3](data, values);
        replaced.set(t.name, { type: legacy[1], values });
        return { ...t, type: legacy[1], data };
      }
      if (t.name === "blk.0.ffn_down.weight") {
        const halves = Uint16Array.from(new Uint32Array(f32.buffer), (bits) => bits >>> 16);
        replaced.set(t.name, { type: GGML_TYPE.BF16, values: Float32Array.from(halves, (h) => bf16BitsToF32(h)) });
        return { ...t, type: GGML_TYPE.BF16, data: new Uint8Array(halves.buffer) };
      }
      return t;
    });
    const file = writeGguf(parts.metadata, tensors);
    const header = await readGgufHeader(bytesSource("k.gguf", file));
    expect(header.tensors.filter((t) => replaced.has(t.name)).map((t) => t.typeName).sort()).toEqual(["BF16", "Q4_1", "Q4_K", "Q5_0", "Q5_1", "Q5_K", "Q6_K"]);
    const hfOf: Record<string, (m: ModelWeights) => WeightMatrix> = {
      "token_embd.weight": (m) => m.embed,
      "blk.0.attn_q.weight": (m) => m.layers[0]!.linear.q,
      "blk.0.ffn_up.weight": (m) => m.layers[0]!.linear.up,
      "blk.0.ffn_down.weight": (m) => m.layers[0]!.linear.down,
      "blk.0.attn_k.weight": (m) => m.layers[0]!.linear.k,
      "blk.0.attn_v.weight": (m) => m.layers[0]!.linear.v,
      "blk.0.ffn_gate.weight": (m) => m.layers[0]!.linear.gate,
    };
    for (const quant of ["f32", "q8_0", "q4_0"] as const) {
      const { weights } = await load(file, quant, cfg, 3000);
      for (const [name, { values }] of replaced) {
        const got = hfOf[name]!(weights);
        const source = hfOf[name]!(w);
        const want = quantize(values, source.rows, source.cols, quant);
        expect(got.format, `${quant} ${name}`).toBe(quant);
        expect(got.data, `${quant} ${name}`).toEqual(want.data);
        expect(got.scales, `${quant} ${name}`).toEqual(want.scales);
        if (quant === "f32" && !legacyKinds.some(([n]) => n === name)) {
          // and the K-quant values are near the source weights (bound: a coarse step of a 4-bit grid)
          const src = dequantize(source);
          const err = Math.max(...Array.from(dequantize(got), (v, i) => Math.abs(v - src[i]!)));
          expect(err, name).toBeLessThan(0.2 * Math.max(...Array.from(src, Math.abs)));
        }
      }
    }
  });
});

describe("GGUF tokenizer metadata", () => {
  const tokenizer: GgufTokenizerMetadata = {
    model: "gpt2",
    pre: "qwen2",
    tokens: Array.from({ length: 67 }, (_, i) => (i < 60 ? `t${i}` : `<|special_${i}|>`)),
    tokenTypes: Array.from({ length: 67 }, (_, i) => (i < 60 ? 1 : 3)),
    merges: ["t 1", "Ġ t"],
    bosId: 60,
    eosId: 61,
    padId: 62,
    chatTemplate: "{% for m in messages %}{{ m.content }}{% endfor %}",
  };

  it("round-trips every field", async () => {
    const w = randomWeights(config(true), 3, "q8_0");
    const header = await readGgufHeader(bytesSource("t.gguf", writeQwen2Gguf(w, { types: "native", tokenizer })));
    expect(ggufTokenizerMetadata(header)).toEqual(tokenizer);
    expect(configFromGguf(header).vocab).toBe(67);
  });

  it("says what is missing when the file has no tokenizer", async () => {
    const w = randomWeights(config(true), 3, "q8_0");
    const header = await readGgufHeader(bytesSource("t.gguf", writeQwen2Gguf(w, { types: "native" })));
    expect(() => ggufTokenizerMetadata(header, "t.gguf")).toThrow(/t\.gguf has no tokenizer \(tokenizer\.ggml\.model is missing from its metadata\)/);
  });
});

describe("loadGgufModel refusals", () => {
  const cfg = config(true);
  const w = randomWeights(cfg, 5, "q8_0");
  const sink = () => undefined;
  const loadBytes = (file: Uint8Array, name = "bad.gguf") => loadGgufModel(bytesSource(name, file), { quant: "q8_0", sink });

  it("bad magic", async () => {
    const file = new TextEncoder().encode("PK\u0003\u0004 a zip, not a model");
    await expect(loadBytes(file, "model.zip")).rejects.toThrow(/model\.zip is not a GGUF file \(it starts with bytes 50 4b 03 04/);
  });

  it("an unsupported tensor type, named with the types that work", async () => {
    const parts = qwen2GgufParts(w, { types: "native" });
    const tensors = parts.tensors.map((t) =>
      // IQ4_NL (type 20): 18-byte blocks of 32, like Q4_0, but a non-linear codebook the engine does not read.
      t.name === "blk.0.attn_k.weight" ? { ...t, type: 20, data: new Uint8Array((t.data.length / 34) * 18) } : t,
    );
    await expect(loadBytes(writeGguf(parts.metadata, tensors))).rejects.toThrow(
      "tensor blk.0.attn_k.weight has type IQ4_NL, which TAPO Studio cannot load; use a GGUF in Q4_0, Q8_0, Q4_K, Q5_K, Q6_K, F16, BF16 or F32",
    );
  });

  it("a truncated file", async () => {
    const file = writeQwen2Gguf(w, { types: "native" });
    const cut = file.subarray(0, file.length - 100);
    await expect(loadBytes(cut, "cut.gguf")).rejects.toThrow(/cut\.gguf ends at byte \d+ but its header puts tensor "output_norm\.weight" at bytes \d+\.\.\d+: the file is truncated/);
  });

  it("a wrong architecture, named", async () => {
    await expect(loadBytes(writeQwen2Gguf(w, { types: "native", architecture: "llama" }), "llama.gguf")).rejects.toThrow(
      'llama.gguf describes a "llama" model, but TAPO Studio runs the Qwen2 architecture (Qwen2.5 models) only',
    );
  });

  it("a missing tensor, by GGUF and HF name", async () => {
    const parts = qwen2GgufParts(w, { types: "native" });
    const file = writeGguf(parts.metadata, parts.tensors.filter((t) => t.name !== "blk.1.ffn_down.weight"));
    await expect(loadBytes(file, "part.gguf")).rejects.toThrow(
      'part.gguf has no tensor "blk.1.ffn_down.weight" (model.layers.1.mlp.down_proj.weight), which a Qwen2 model with this config needs',
    );
  });

  it("a tensor whose dims disagree with the metadata", async () => {
    const parts = qwen2GgufParts(w, { types: "native" });
    const metadata = parts.metadata.map(([k, v]): (typeof parts.metadata)[number] =>
      k === "qwen2.feed_forward_length" ? [k, { type: 4, value: 128 }] : [k, v],
    );
    await expect(loadBytes(writeGguf(metadata, parts.tensors))).rejects.toThrow(
      /tensor "blk\.0\.ffn_gate\.weight" has dims \[64, 96\] but the model's metadata implies \[64, 128\]/,
    );
  });

  it("cancellation between tensors", async () => {
    const controller = new AbortController();
    let seen = 0;
    const cancelling = () => {
      seen++;
      controller.abort();
    };
    const file = writeQwen2Gguf(w, { types: "native" });
    await expect(
      loadGgufModel(bytesSource("c.gguf", file), { quant: "q8_0", sink: cancelling, signal: controller.signal }),
    ).rejects.toBeInstanceOf(LoadCancelledError);
    expect(seen).toBe(1);
  });
});
