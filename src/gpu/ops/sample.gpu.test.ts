// Checks the GPU sampler against the float64 reference: token frequencies follow softmax(z/T) (chi-square), the draws equal the reference inverse CDF at the same counter-based uniform numbers, top-k / top-p never emit excluded tokens, greedy is argmax, the same seed repeats exactly, and logprob = log softmax(z/T)[token]. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { inverseCdf, sampleUniform, samplingDistribution } from "../../ref/sample";
import { freshSeed, mulberry32 } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, KERNEL_STYLES, poisonedF32, styledTestDevice } from "../testing";
import { packSampleRows, prepareSample, type SampleRow } from "./sample";

/** Runs the sampler on rows of logits (R, V); returns tokens and logprobs. */
async function sample(device: GPUDevice, logits: Float32Array, V: number, rows: SampleRow[]) {
  const R = rows.length;
  const out = poisonedF32(device, 2 * R);
  await gpuChecked(device, () =>
    runDispatches(device, [
      prepareSample(device, { logits: storageBuffer(device, logits), samp: storageBuffer(device, packSampleRows(rows)), out }, { R, V }),
    ]),
  );
  const f = await readF32(device, out, 2 * R);
  const u = new Uint32Array(f.buffer);
  return { tokens: Array.from({ length: R }, (_, i) => u[2 * i]!), logprobs: Array.from({ length: R }, (_, i) => f[2 * i + 1]!) };
}

/** The same logits z: (V) in every one of R rows. */
function repeatRows(z: Float32Array, R: number): Float32Array {
  const out = new Float32Array(R * z.length);
  for (let r = 0; r < R; r++) out.set(z, r * z.length);
  return out;
}

/** Logits over V tokens: `hot` tokens at spread-out indices with values in [0, 3], the rest far below. */
function spikyLogits(seed: number, V: number, hot: number): { z: Float32Array; hotIds: number[] } {
  const rand = mulberry32(seed);
  const z = new Float32Array(V).map(() => -12 - 4 * rand());
  const hotIds = Array.from({ length: hot }, (_, i) => Math.floor(((i + rand()) * V) / hot));
  for (const i of hotIds) z[i] = 3 * rand();
  return { z, hotIds };
}

/** Pearson's chi-square of counts over categories (hot tokens + "everything else") against probabilities. */
function chiSquare(tokens: number[], probs: Float64Array, hotIds: number[]): number {
  const N = tokens.length;
  const cats = [...hotIds, -1];
  const index = new Map(hotIds.map((t, i) => [t, i]));
  const counts = new Array<number>(cats.length).fill(0);
  for (const t of tokens) counts[index.get(t) ?? hotIds.length]! += 1;
  const p = hotIds.map((t) => probs[t]!);
  p.push(1 - p.reduce((a, b) => a + b, 0));
  return counts.reduce((chi, c, i) => chi + (c - N * p[i]!) ** 2 / Math.max(N * p[i]!, 1e-12), 0);
}

for (const style of KERNEL_STYLES) describe(`sample_forward (${style} kernels)`, () => {
  it("draws tokens with the frequencies of softmax(z/T) and not of softmax(z) (fixed seed)", async () => {
    const device = await styledTestDevice(style);
    const SEED = 20240611; // fixed: the frequency check is deterministic; it passes by a wide margin
    const V = 600;
    const T = 0.6;
    const { z, hotIds } = spikyLogits(SEED, V, 8);
    const R = 2000;
    const rows = Array.from({ length: R }, (_, i): SampleRow => ({ temperature: T, topP: 1, topK: 0, seed: SEED, sequence: i % 7, position: i }));
    const { tokens, logprobs } = await sample(device, repeatRows(z, R), V, rows);
    const want = samplingDistribution(z, T, 0, 1);
    const chi = chiSquare(tokens, want.probs, hotIds);
    // 9 categories (8 degrees of freedom): P(chi² > 50) < 1e-7 for a correct sampler.
    expect(chi, `chi-square against softmax(z/T): ${chi}`).toBeLessThan(50);
    const untempered = samplingDistribution(z, 1, 0, 1);
    expect(chiSquare(tokens, untempered.probs, hotIds)).toBeGreaterThan(200);
    // The draws are the reference inverse CDF at the kernel's uniform numbers (boundary ties aside).
    const mismatches = rows.filter((r, i) => inverseCdf(want.probs, sampleUniform(r.seed, r.sequence, r.position)) !== tokens[i]).length;
    expect(mismatches, "draws that differ from the reference inverse CDF").toBeLessThanOrEqual(3);
    tokens.forEach((t, i) => expect(Math.abs(logprobs[i]! - want.logprobs[t]!), `logprob of row ${i}`).toBeLessThan(2e-5));
  });

  for (const [topK, topP] of [[3, 1], [0, 0.6], [5, 0.8], [1, 1]] as const) {
    it(`never emits tokens cut by topK=${topK} topP=${topP}, and draws every kept one`, async () => {
      const device = await styledTestDevice(style);
      const seed = freshSeed();
      const V = 300;
      const T = 1.3;
      const { z } = spikyLogits(seed, V, 10);
      const R = 250;
      const rows = Array.from({ length: R }, (_, i): SampleRow => ({ temperature: T, topP, topK, seed, sequence: 3, position: i }));
      const { tokens, logprobs } = await sample(device, repeatRows(z, R), V, rows);
      const want = samplingDistribution(z, T, topK, topP);
      const keptIds = want.kept.flatMap((k, i) => (k ? [i] : []));
      const ctx = `seed=${seed} kept=${keptIds.join(",")}`;
      for (const t of tokens) expect(want.kept[t], `token ${t} was cut; ${ctx}`).toBe(true);
      for (const t of keptIds) {
        if (want.probs[t]! > 0.06) expect(tokens.includes(t), `kept token ${t} (p=${want.probs[t]}) never drawn; ${ctx}`).toBe(true);
      }
      if (topK > 0) expect(keptIds.length).toBeLessThanOrEqual(topK);
      tokens.forEach((t, i) => expect(Math.abs(logprobs[i]! - want.logprobs[t]!), `logprob row ${i} ${ctx}`).toBeLessThan(2e-5));
    });
  }

  it("is greedy at temperature 0, repeats exactly with the same seed and changes with another", async () => {
    const device = await styledTestDevice(style);
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const V = 1000;
    const R = 40;
    const logits = new Float32Array(R * V).map(() => 4 * rand() - 2);
    const rows = (s: number, T: number) =>
      Array.from({ length: R }, (_, i): SampleRow => ({ temperature: T, topP: 0.95, topK: 50, seed: s, sequence: i, position: 17 }));
    const greedy = await sample(device, logits, V, rows(seed, 0));
    for (let r = 0; r < R; r++) {
      const z = logits.subarray(r * V, (r + 1) * V);
      const want = samplingDistribution(z, 0, 0, 1);
      expect(greedy.tokens[r], `argmax of row ${r} seed=${seed}`).toBe(want.probs.indexOf(1));
      expect(Math.abs(greedy.logprobs[r]! - want.logprobs[greedy.tokens[r]!]!)).toBeLessThan(2e-5);
    }
    const a = await sample(device, logits, V, rows(seed, 1));
    const b = await sample(device, logits, V, rows(seed, 1));
    const c = await sample(device, logits, V, rows(seed + 1, 1));
    expect(b.tokens, `seed=${seed}`).toEqual(a.tokens);
    expect(b.logprobs).toEqual(a.logprobs);
    expect(c.tokens.filter((t, i) => t !== a.tokens[i]).length, `seed=${seed}`).toBeGreaterThan(R / 4);
  });
});
