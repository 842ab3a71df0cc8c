// Checks GPU generation on tiny random Qwen2 models (GQA, biases; f32 and q4_0; frozen and LoRA): teacher-forced next-token log-probs through prefill, one-token and chunked appends match ModelRuntime.logprobs and the float64 reference; greedy batched decode equals decoding alone and the reference argmax; a waiting sequence continues as if it never waited; in a rollout-like schedule (steps, waits, appends of 1–16 tokens, chunked and padded prefills, slot reuse, more than 64 keys) temperature-1 samples carry the training forward's log-probs; release frees the slot; memory refusal names figures. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { gpuChecked, testDevice } from "../gpu/testing";
import { initLora, type LoraWeights } from "../model/lora";
import { type LoraSettings } from "../protocol/lora";
import { ModelRuntime } from "../model/runtime";
import { randomSequences, tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import type { WeightFormat } from "../protocol/tensors";
import { assertClose } from "../ref/compare";
import { refModel, type RefModel, refSequence } from "../ref/model";
import { freshSeed, mulberry32 } from "../util/random";
import { GpuGenerator } from "./generator";
import { GeneratorTooLargeError } from "./memory";
import type { SamplingParams, SequenceHandle } from "./types";

const LORA: LoraSettings = { r: 4, alpha: 8, targets: ["q", "k", "v", "o", "gate", "up", "down"] };
const GREEDY: SamplingParams = { temperature: 0, topP: 1, topK: 0, seed: 0 };

type Setup = { runtime: ModelRuntime; ref: RefModel; lora?: LoraWeights; seed: number; vocab: number };

async function setup(format: WeightFormat, withLora: boolean): Promise<Setup> {
  const device = await testDevice();
  const seed = freshSeed();
  const config = tinyConfig({ tieEmbeddings: format === "f32" });
  const weights = randomWeights(config, seed, format);
  const lora = withLora ? initLora(config, LORA, seed + 7, 0.3) : undefined;
  const runtime = lora
    ? ModelRuntime.create(device, weights, { mode: { kind: "lora", lora: LORA }, lora })
    : ModelRuntime.create(device, weights, { mode: { kind: "frozen" } });
  return { runtime, ref: refModel(weights), seed, vocab: config.vocab, ...(lora ? { lora } : {}) };
}

/** log softmax(z)[target] in float64. */
function logSoftmaxAt(z: Float32Array, target: number): number {
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  return z[target]! - max - Math.log(sum);
}

function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** Greedy decode of `steps` tokens for every handle at once. */
async function decode(gen: GpuGenerator, seqs: SequenceHandle[], steps: number, sampling = GREEDY) {
  const out = seqs.map(() => ({ tokens: [] as number[], logprobs: [] as number[] }));
  for (let s = 0; s < steps; s++) {
    const got = await gen.step(seqs, sampling);
    got.forEach((g, i) => {
      out[i]!.tokens.push(g.token);
      out[i]!.logprobs.push(g.logprob);
    });
  }
  return out;
}

describe("GpuGenerator teacher forcing", () => {
  for (const [format, withLora] of [["f32", false], ["q4_0", true], ["f32", true]] as [WeightFormat, boolean][]) {
    it(`gives the training forward's next-token log-probs through prefill and appends (${format}${withLora ? ", LoRA" : ""})`, async () => {
      const { runtime, ref, lora, seed } = await setup(format, withLora);
      const device = runtime.device;
      const [s] = randomSequences(seed + 1, [15], ref.weights.config.vocab) as [number[]];
      const want = (await runtime.logprobs([s])).logp[0]!;
      const wantRef = refSequence(ref, s, lora).logp;
      // maxRows 4 < the prompt: prefill goes in chunks.
      const gen = GpuGenerator.fromRuntime(runtime, { maxSequences: 3, maxLength: 24, maxRows: 4 });
      const got: number[] = [];
      const at: number[] = [];
      await gpuChecked(device, async () => {
        const other = await gen.start(s.slice(3, 9)); // another sequence in the cache must not interfere
        // h is read after every append; g takes the same appends unread (reading runs the pending token).
        const [h, g] = await gen.startMany([s.slice(0, 6), s.slice(0, 6)]) as [SequenceHandle, SequenceHandle];
        const check = async (seq: SequenceHandle) => {
          const [z] = await gen.nextLogits([seq]);
          at.push(seq.length - 1);
          got.push(logSoftmaxAt(z!, s[seq.length]!));
        };
        await check(h);
        for (let t = 6; t < 9; t++) {
          await gen.append(h, [s[t]!]);
          await gen.append(g, [s[t]!]);
          await check(h);
        }
        await gen.append(h, s.slice(9, 14)); // a chunk longer than maxRows
        await gen.append(g, s.slice(9, 14));
        await check(h);
        await check(g);
        gen.release(other);
      });
      const ctx = `${format}${withLora ? " lora" : ""} seed=${seed} positions ${at.join(",")}`;
      assertClose(got, at.map((t) => want[t]!), { atol: 1e-4, rtol: 1e-4 }, `vs runtime ${ctx}`);
      assertClose(got, at.map((t) => wantRef[t]!), { atol: 2e-4, rtol: 1e-4 }, `vs float64 reference ${ctx}`);
      gen.destroy();
      runtime.destroy();
    });
  }
});

describe("GpuGenerator greedy decode", () => {
  for (const [format, withLora] of [["f32", false], ["q4_0", true]] as [WeightFormat, boolean][]) {
    it(`decodes a batch of uneven prompts like each alone and like the reference argmax (${format}${withLora ? ", LoRA" : ""})`, async () => {
      const { runtime, ref, lora, seed, vocab } = await setup(format, withLora);
      const device = runtime.device;
      const prompts = randomSequences(seed + 2, [3, 7, 1, 5], vocab);
      const steps = 5;
      const opts = { maxSequences: 4, maxLength: 16 };
      const together = await gpuChecked(device, async () => {
        const gen = GpuGenerator.fromRuntime(runtime, opts);
        const seqs = await gen.startMany(prompts);
        const out = await decode(gen, seqs, steps);
        expect(seqs.map((h) => h.length)).toEqual(prompts.map((p) => p.length + steps));
        gen.destroy();
        return out;
      });
      for (const [b, prompt] of prompts.entries()) {
        const ctx = `${format} seq ${b} seed=${seed}`;
        const alone = await gpuChecked(device, async () => {
          const gen = GpuGenerator.fromRuntime(runtime, opts);
          const out = await decode(gen, [await gen.start(prompt)], steps);
          gen.destroy();
          return out[0]!;
        });
        expect(together[b]!.tokens, `batch vs alone ${ctx}`).toEqual(alone.tokens);
        assertClose(together[b]!.logprobs, alone.logprobs, { atol: 1e-5, rtol: 1e-5 }, `logprobs batch vs alone ${ctx}`);
        // Reference: at every step the drawn token is the argmax of the float64 next-token distribution.
        const full = [...prompt, ...together[b]!.tokens];
        const refLogp = refSequence(ref, full, lora).logp;
        for (let t = 0; t < steps; t++) {
          const pos = prompt.length - 1 + t; // predicts full[pos + 1]
          const prefix = full.slice(0, pos + 1);
          const scores = Array.from({ length: vocab }, (_, v) => refSequence(ref, [...prefix, v], lora).logp[pos]!);
          expect(scores[full[pos + 1]!]! - scores[argmax(scores)]!, `step ${t} ${ctx}`).toBeGreaterThan(-1e-4);
          expect(Math.abs(together[b]!.logprobs[t]! - refLogp[pos]!), `logprob step ${t} ${ctx}`).toBeLessThan(2e-4);
        }
      }
      runtime.destroy();
    });
  }
});

describe("GpuGenerator in a rollout-like schedule", () => {
  it("samples with the training forward's log-probs through interleaved steps, waits, appends, chunked and padded prefills and slot reuse, past one attention chunk of keys", async () => {
    // Untied embeddings: a tied random model repeats its input token with probability ~1, so sampled
    // log-probs would all be ~0 and could not show a wrong cache.
    const device = await testDevice();
    const seed = freshSeed();
    const config = tinyConfig({ tieEmbeddings: false });
    const vocab = config.vocab;
    const runtime = ModelRuntime.create(device, randomWeights(config, seed, "f32"), { mode: { kind: "frozen" } });
    const rand = mulberry32(seed + 5);
    const randomTokens = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * vocab));
    const maxLength = 120;
    // maxRows 16: long prompts and appends go in chunks, and chunks of 9..15 rows are padded to 16.
    const gen = GpuGenerator.fromRuntime(runtime, { maxSequences: 3, maxLength, maxRows: 16 });
    const sampling: SamplingParams = { temperature: 1, topP: 1, topK: 0, seed };
    type Track = { handle: SequenceHandle; tokens: number[]; sampledAt: number[]; logprobs: number[] };
    const finished: Track[] = [];
    const appendLengths = [1, 4, 9, 2, 16, 12, 3];
    let appends = 0;
    await gpuChecked(device, async () => {
      const begin = async (prompts: number[][]): Promise<Track[]> =>
        (await gen.startMany(prompts)).map((handle, i) => ({ handle, tokens: [...prompts[i]!], sampledAt: [], logprobs: [] }));
      let live = [...(await begin([randomTokens(29)])), ...(await begin([randomTokens(11), randomTokens(66)]))];
      let restarts = 0;
      for (let it = 0; it < 48 && live.length > 0; it++) {
        // One sequence takes forced tokens every fourth step, another waits every third; the rest step together.
        const stepping: Track[] = [];
        for (const [j, t] of live.entries()) {
          const n = appendLengths[(it >> 2) % appendLengths.length]!;
          if (it % 4 === 1 && j === it % live.length && t.tokens.length + n < maxLength - 1) {
            const forced = randomTokens(n);
            await gen.append(t.handle, forced);
            t.tokens.push(...forced);
            appends++;
          } else if (!(it % 3 === 0 && j === (it + 1) % live.length)) {
            stepping.push(t);
          }
        }
        if (stepping.length > 0) {
          const got = await gen.step(stepping.map((t) => t.handle), sampling);
          got.forEach((g, i) => {
            const t = stepping[i]!;
            t.sampledAt.push(t.tokens.length);
            t.tokens.push(g.token);
            t.logprobs.push(g.logprob);
          });
        }
        for (const t of [...live]) {
          expect(t.handle.length, `seed=${seed}`).toBe(t.tokens.length);
          // Retire near-full sequences, and one early; a new sequence reuses the slot over the old cache rows.
          if (t.tokens.length >= maxLength - 12 || (it === 20 && t === live[0])) {
            gen.release(t.handle);
            finished.push(t);
            live = live.filter((x) => x !== t);
            if (restarts++ < 2) live.push(...(await begin([randomTokens(5 + 30 * restarts)])));
          }
        }
      }
      for (const t of live) {
        gen.release(t.handle);
        finished.push(t);
      }
    });
    expect(Math.max(...finished.map((t) => t.tokens.length)), `seed=${seed}`).toBeGreaterThan(64);
    expect(appends, `seed=${seed}`).toBeGreaterThan(4);
    const { logp } = await gpuChecked(device, () => runtime.logprobs(finished.map((t) => t.tokens)));
    finished.forEach((t, k) => {
      const want = t.sampledAt.map((i) => logp[k]![i - 1]!);
      assertClose(t.logprobs, want, { atol: 2e-4, rtol: 1e-4 }, `sequence ${k} sampled at ${t.sampledAt.join(",")} seed=${seed}`);
    });
    gen.destroy();
    runtime.destroy();
  });
});

describe("GpuGenerator scheduling", () => {
  it("lets a sequence wait while others decode, then continue exactly; release frees the slot for reuse", async () => {
    const { runtime, seed, vocab } = await setup("f32", true);
    const device = runtime.device;
    const [pa, pb] = randomSequences(seed + 3, [4, 6], vocab) as [number[], number[]];
    const sampling: SamplingParams = { temperature: 0.9, topP: 0.95, topK: 20, seed };
    const opts = { maxSequences: 2, maxLength: 20 };
    await gpuChecked(device, async () => {
      // A alone, 6 sampled steps (A is sequence id 0 in both runs: same random stream).
      const solo = GpuGenerator.fromRuntime(runtime, opts);
      const aSolo = (await decode(solo, [await solo.start(pa)], 6, sampling))[0]!;
      solo.destroy();

      const gen = GpuGenerator.fromRuntime(runtime, opts);
      const a = await gen.start(pa);
      const b = await gen.start(pb);
      const first = await decode(gen, [a, b], 2, sampling);
      await decode(gen, [b], 3, sampling); // A waits
      await gen.append(b, [1, 2]); // and B takes forced tokens meanwhile
      const rest = await decode(gen, [b, a], 4, sampling);
      const aTokens = [...first[0]!.tokens, ...rest[1]!.tokens];
      expect(aTokens, `seed=${seed}`).toEqual(aSolo.tokens);
      assertClose([...first[0]!.logprobs, ...rest[1]!.logprobs], aSolo.logprobs, { atol: 1e-5, rtol: 1e-5 }, `waiting logprobs seed=${seed}`);
      expect(a.length).toBe(pa.length + 6);

      // Both slots are taken; releasing A lets a new sequence reuse its slot, with no trace of A.
      await expect(gen.start(pa)).rejects.toThrow(/free slot/);
      gen.release(a);
      await expect(gen.step([a], sampling)).rejects.toThrow(/not live/);
      const c = await gen.start(pb.slice(0, 3));
      const cGreedy = (await decode(gen, [c], 4))[0]!;
      const fresh = GpuGenerator.fromRuntime(runtime, opts);
      const cFresh = (await decode(fresh, [await fresh.start(pb.slice(0, 3))], 4))[0]!;
      expect(cGreedy.tokens, `reused slot seed=${seed}`).toEqual(cFresh.tokens);
      fresh.destroy();
      gen.destroy();
    });
    runtime.destroy();
  });

  it("refuses a cache that does not fit, before allocating, with the figures", async () => {
    const { runtime } = await setup("f32", false);
    expect(() => GpuGenerator.fromRuntime(runtime, { maxSequences: 64, maxLength: 65536, budget: 64 * 2 ** 20 })).toThrow(GeneratorTooLargeError);
    expect(() => GpuGenerator.fromRuntime(runtime, { maxSequences: 64, maxLength: 65536, budget: 64 * 2 ** 20 })).toThrow(/KV cache .*maxSequences or maxLength/);
    runtime.destroy();
  });
});
