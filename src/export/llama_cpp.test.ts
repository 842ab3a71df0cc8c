// llama.cpp itself runs `tapo export`'s GGUF (CPU, no GPU): node-llama-cpp
// (pinned 3.21.1, its prebuilt linux-x64 CPU binary, F32 KV cache, flash
// attention off) computes next-token log-probs of the bundled tiny model
// exported with and without a random adapter, and they match the float64
// reference of base + adapter within 1e-4 for f32 (q8_0 within its rounding).
import { type ControlledEvaluateInputItem, getLlama, type Llama, LlamaLogLevel, type Token } from "node-llama-cpp";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileSet } from "../io/source";
import type { LoraWeights } from "../model/lora";
import type { ModelWeights } from "../model/weights";
import { randomSequences } from "../model/testing";
import { refModel, refSequence } from "../ref/model";
import type { ExportDtype } from "./dtypes";
import { exportModel } from "./export";
import { diskFileSet } from "./node_files";
import { readExportSource } from "./source";
import { TINY_DIR, exportTestConfig, randomAdapter, randomModelFolder } from "./testing";

const dir = mkdtempSync(join(tmpdir(), "tapo-llama-"));
let llama: Llama;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
}, 120_000);
afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** llama.cpp's log p(seq[t+1] | seq[..t]) for each t (length len-1), one fresh sequence per input. */
async function llamaLogprobs(path: string, seqs: number[][]): Promise<number[][]> {
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({ contextSize: 256, flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" });
  try {
    const out: number[][] = [];
    const sequence = context.getSequence();
    for (const seq of seqs) {
      await sequence.clearHistory();
      const items: ControlledEvaluateInputItem[] = seq.slice(0, -1).map((t) => [t as Token, { generateNext: { probabilities: true } }]);
      const results = await sequence.controlledEvaluate(items);
      out.push(results.map((r, t) => Math.log(r?.next?.probabilities?.get(seq[t + 1]! as Token) ?? 0)));
    }
    return out;
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

async function exportTiny(dtype: ExportDtype, lora: { files: FileSet } | undefined): Promise<string> {
  const out = await exportModel({ model: diskFileSet(TINY_DIR, "--model"), ...(lora ? { adapter: lora.files } : {}), format: "gguf", dtype, name: "tiny" });
  const path = join(dir, `tiny-${dtype}-${lora ? "adapted" : "base"}.gguf`);
  writeFileSync(path, out.files.get("model.gguf")!);
  return path;
}

/** Largest and mean |llama.cpp - reference| over every position of every sequence; the reference runs `weightsFrom` (default: the bundled model) + `lora`. */
async function diffs(path: string, seqs: number[][], lora?: LoraWeights, weightsFrom: string | ModelWeights = TINY_DIR): Promise<{ max: number; mean: number }> {
  const weights = typeof weightsFrom === "string" ? (await readExportSource(diskFileSet(weightsFrom, "--model"))).weights : weightsFrom;
  const ref = refModel(weights);
  const got = await llamaLogprobs(path, seqs);
  const all: number[] = [];
  seqs.forEach((seq, b) => {
    const want = refSequence(ref, seq, lora).logp;
    expect(got[b]!.length).toBe(want.length);
    want.forEach((w, t) => all.push(Math.abs(got[b]![t]! - w)));
  });
  return { max: Math.max(...all), mean: all.reduce((a, b) => a + b, 0) / all.length };
}

const worstDiff = async (...args: Parameters<typeof diffs>) => (await diffs(...args)).max;

describe("llama.cpp on the GGUF export", () => {
  const seqs = [[756, ...randomSequences(7, [30], 755)[0]!, 757], ...randomSequences(8, [12, 45], 768)];
  const config = { layers: 2, hidden: 64, intermediate: 192, heads: 2, kvHeads: 1, headDim: 32, vocab: 768, rmsEps: 1e-6, ropeTheta: 10000, tieEmbeddings: true, maxPositions: 1024 };
  const adapter = randomAdapter(config, 5);

  it("matches the reference log-probs within 1e-4 (f32, no adapter)", async () => {
    const diff = await worstDiff(await exportTiny("f32", undefined), seqs);
    console.log(`llama.cpp vs float64 reference, f32 base: max |Δ logp| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
  }, 120_000);

  it("matches base + adapter log-probs within 1e-4 (f32, merged adapter)", async () => {
    const path = await exportTiny("f32", adapter);
    const diff = await worstDiff(path, seqs, adapter.lora);
    console.log(`llama.cpp vs float64 reference, f32 merged: max |Δ logp| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
    // The adapter moves the log-probs far more than the tolerance, so a merge that dropped it would fail.
    expect(await worstDiff(path, seqs)).toBeGreaterThan(1e-2);
  }, 120_000);

  it("runs the q8_0 file's weights (merged adapter), up to llama.cpp's q8_0 activations", async () => {
    const path = await exportTiny("q8_0", adapter);
    // The reference runs the weights as our loader reads them back from the q8_0 file; llama.cpp
    // also rounds activations to q8_0 in its matmuls, which is what is left.
    // These log-probs of random tokens lie around -4 … -24; a misread block layout moves them by whole units.
    const { max, mean } = await diffs(path, seqs, undefined, path);
    console.log(`llama.cpp q8_0 vs float64 reference of the file's weights: |Δ logp| max ${max.toExponential(2)}, mean ${mean.toExponential(2)}`);
    expect(mean).toBeLessThan(0.15);
    expect(max).toBeLessThan(0.5);
  }, 120_000);

  it("matches on a random Qwen2 with GQA (4 heads over 2), biases and an untied head (f32, merged adapter)", async () => {
    const { weights, files } = randomModelFolder(31);
    const lora = randomAdapter(exportTestConfig(), 32);
    const out = await exportModel({ model: files, adapter: lora.files, format: "gguf", dtype: "f32", name: "random" });
    const path = join(dir, "random.gguf");
    writeFileSync(path, out.files.get("model.gguf")!);
    const diff = await worstDiff(path, randomSequences(33, [20, 33], 768), lora.lora, weights);
    console.log(`llama.cpp vs float64 reference, random untied GQA model, f32 merged: max |Δ logp| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
  }, 120_000);
});
