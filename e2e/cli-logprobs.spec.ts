// End-to-end: `npx tapo logprobs` on a tiny random Qwen2 folder written by the test (safetensors, with
// and without a PEFT adapter, with --grad), checked against the float64 reference; bad inputs give one
// `error:` line and a non-zero exit. Needs Chromium (the command runs the engine in it; WebGPU via SwiftShader).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { tapo } from "./tapo_cli";
import { readSafetensorsHeader, readRowsF32, writeSafetensors } from "../src/formats/safetensors";
import { bytesSource } from "../src/io/source";
import { toHfConfigJson } from "../src/model/config";
import { initLora, peftName } from "../src/model/lora";
import { savePeftAdapter } from "../src/model/peft";
import { randomSequences, tinyConfig } from "../src/model/testing";
import { randomWeights, tensorsOf } from "../src/model/weights";
import { dequantize } from "../src/quant/weights";
import { centralDifference } from "../src/ref/finite_difference";
import { refLoss, refModel, refSequence } from "../src/ref/model";

test.describe.configure({ timeout: 180_000 });


// Fresh random model per worker; titles stay fixed (Playwright matches them across processes), the seed goes in messages.
const seed = Math.floor(Math.random() * 2 ** 31);
const config = tinyConfig({ tieEmbeddings: false, layers: 2 });
const weights = randomWeights(config, seed, "f32");
const seqs = randomSequences(seed + 1, [6, 11, 2], config.vocab);

/** Writes a Hugging Face folder: config.json and one F32 model.safetensors. */
function writeModelFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tapo-model-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify(toHfConfigJson(config)));
  const tensors = tensorsOf(weights).map(({ name, value }) =>
    value instanceof Float32Array
      ? { name, dtype: "F32" as const, shape: [value.length], data: value }
      : { name, dtype: "F32" as const, shape: [value.rows, value.cols], data: dequantize(value) },
  );
  writeFileSync(join(dir, "model.safetensors"), writeSafetensors(tensors));
  return dir;
}

function writeInputs(dir: string, rows: string[]): string {
  const file = join(dir, "inputs.jsonl");
  writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

function parseLines(stdout: string): number[][] {
  return stdout.trim().split("\n").map((l) => (JSON.parse(l) as { logprobs: number[] }).logprobs);
}

test("logprobs of a safetensors folder match the float64 reference", async () => {
  const dir = writeModelFolder();
  const input = writeInputs(dir, seqs.map((s) => JSON.stringify({ input_ids: s })));
  const run = await tapo(["logprobs", "--model", dir, "--quant", "none", "--input", input, "--json"]);
  expect(run.stderr).not.toContain("error:");
  expect(run.code).toBe(0);
  const got = parseLines(run.stdout);
  expect(got.length).toBe(seqs.length);
  const ref = refModel(weights);
  seqs.forEach((s, b) => {
    const want = refSequence(ref, s).logp;
    expect(got[b]!.length).toBe(s.length - 1);
    got[b]!.forEach((v, t) => expect(Math.abs(v - want[t]!), `seq ${b} token ${t}, seed ${seed}`).toBeLessThan(2e-4));
  });
});

test("with a PEFT adapter, logprobs include it and --grad writes d(Σ logp)/d(adapter) under PEFT names", async () => {
  const dir = writeModelFolder();
  const lora = initLora(config, { r: 4, alpha: 8, targets: ["q", "v", "down"] }, seed + 2, 0.3);
  const adapterDir = mkdtempSync(join(tmpdir(), "tapo-adapter-"));
  for (const [name, content] of Object.entries(savePeftAdapter(lora, { baseModel: "tiny-test" }))) {
    writeFileSync(join(adapterDir, name), content);
  }
  const input = writeInputs(dir, seqs.map((s) => JSON.stringify({ input_ids: s })));
  const gradFile = join(dir, "grad.safetensors");
  const run = await tapo(["logprobs", "--model", dir, "--adapter", adapterDir, "--quant", "none", "--input", input, "--grad", gradFile, "--json"]);
  expect(run.stderr).not.toContain("error:");
  expect(run.code).toBe(0);
  const got = parseLines(run.stdout);
  const ref = refModel(weights);
  seqs.forEach((s, b) => {
    const want = refSequence(ref, s, lora).logp;
    got[b]!.forEach((v, t) => expect(Math.abs(v - want[t]!), `seq ${b} token ${t}, seed ${seed}`).toBeLessThan(2e-4));
  });
  const src = bytesSource("grad.safetensors", new Uint8Array(readFileSync(gradFile)));
  const header = await readSafetensorsHeader(src);
  const ones = seqs.map((s) => new Float64Array(s.length - 1).fill(1));
  for (const [l, t, which] of [[0, "q", "A"], [1, "down", "B"], [1, "v", "A"]] as const) {
    const name = peftName(l, t, which);
    const info = header.tensors.get(name);
    expect(info, name).toBeDefined();
    const grad = await readRowsF32(src, info!, 0, info!.shape[0]!);
    const slot = lora.layers[l]![t]![which];
    for (const i of [0, slot.length - 1]) {
      const fd = centralDifference(slot, i, 1e-3, () => refLoss(ref, seqs, ones, undefined, lora));
      expect(Math.abs(grad[i]! - fd), `${name}[${i}], seed ${seed}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
    }
  }
});

test("a malformed input line stops with one error line naming it", async () => {
  const dir = writeModelFolder();
  const input = writeInputs(dir, [JSON.stringify({ input_ids: [1, 2, 3] }), "{not json"]);
  const run = await tapo(["logprobs", "--model", dir, "--input", input, "--json"]);
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trim().split("\n").filter((l) => l.startsWith("error:"));
  expect(lines).toEqual([`error: ${input} line 2 is not valid JSON: each line must be {"input_ids": [token ids]}`]);
});

test("a folder without config.json stops with an error naming what is there", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tapo-empty-"));
  writeFileSync(join(dir, "notes.txt"), "hello");
  const input = writeInputs(dir, [JSON.stringify({ input_ids: [1, 2, 3] })]);
  const run = await tapo(["logprobs", "--model", dir, "--input", input, "--json"]);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/^error: .*has no config\.json and no \.gguf file \(it has inputs\.jsonl, notes\.txt\)/m);
});
