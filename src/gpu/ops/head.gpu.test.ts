// Checks the chunked output head (logits + log-softmax reduction, finalize, dlogits; dh and dW through the linear kernels) for f32, Q8_0 and Q4_0 weights against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { dequantize, quantize } from "../../quant/weights";
import { type WeightFormat } from "../../protocol/tensors";
import { assertClose } from "../../ref/compare";
import { headBackwardRef, headDlogitsRef, headFromLogitsRef, headRef } from "../../ref/head";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, KERNEL_STYLES, poisonedF32, styledTestDevice, testDevice } from "../testing";
import { uploadWeight } from "../weights";
import { headChunkSize, prepareHead, prepareHeadDlogits, prepareHeadFinalize, prepareHeadReduce } from "./head";

/** Targets covering the first and last vocabulary row, the last chunk, random rows and padding (>= V). */
function makeTargets(rand: () => number, M: number, V: number): Uint32Array {
  const t = new Uint32Array(M).map(() => Math.floor(rand() * V));
  const special = [0, V - 1, V + 3, V - 2];
  for (let i = 0; i < Math.min(M, special.length); i++) t[(i * 3) % M] = special[i]!;
  return t;
}

describe("headChunkSize", () => {
  it("defaults to 8192 rows, capped by V and by 64 MiB of logits", async () => {
    const device = await testDevice();
    expect(headChunkSize(device, 1024, 151936)).toBe(8192); // Qwen2.5: 19 chunks, 32 MiB of logits
    expect(headChunkSize(device, 5, 103)).toBe(103);
    expect(headChunkSize(device, 5, 103, 32)).toBe(32);
    const big = headChunkSize(device, 3000, 151936);
    expect(big * 3000 * 4).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(big % 64).toBe(0);
    expect(big).toBeGreaterThan(5000);
  });
});

describe("head reduction kernels on CPU logits", () => {
  for (const style of KERNEL_STYLES) for (const [M, V, chunk] of [[5, 103, 32], [1, 7, 7], [3, 300, 128]] as const) {
    it(`${style} kernels: reduce + finalize + dlogits match the reference (M ${M}, V ${V}, chunk ${chunk})`, async () => {
      const device = await styledTestDevice(style);
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const z = uniformArray(rand, M * V, -6, 6);
      z[Math.floor(rand() * M * V)] = 25; // one dominant logit
      const targets = makeTargets(rand, M, V);
      const wlogp = uniformArray(rand, M, -1, 1);
      const went = uniformArray(rand, M, -1, 1);
      const tBuf = storageBuffer(device, targets);
      const stats = poisonedF32(device, M * 4);
      const rowStats = poisonedF32(device, M * 2);
      const logp = poisonedF32(device, M);
      const entropy = poisonedF32(device, M);
      const chunks: { start: number; rows: number; buf: GPUBuffer }[] = [];
      for (let start = 0; start < V; start += chunk) {
        const rows = Math.min(chunk, V - start);
        const part = new Float32Array(M * rows);
        for (let m = 0; m < M; m++) part.set(z.subarray(m * V + start, m * V + start + rows), m * rows);
        chunks.push({ start, rows, buf: storageBuffer(device, part) });
      }
      await gpuChecked(device, () => {
        const list = chunks.map((c) =>
          prepareHeadReduce(device, { z: c.buf, targets: tBuf, stats }, { M, V, start: c.start, rows: c.rows, first: c.start === 0 }),
        );
        list.push(prepareHeadFinalize(device, { stats, targets: tBuf, logp, entropy, rowStats }, { M, V }));
        list.push(
          ...chunks.map((c) =>
            prepareHeadDlogits(
              device,
              { z: c.buf, targets: tBuf, rowStats, wlogp: storageBuffer(device, wlogp), went: storageBuffer(device, went) },
              { M, V, start: c.start, rows: c.rows, first: c.start === 0 },
            ),
          ),
        );
        runDispatches(device, list);
      });
      const ref = headFromLogitsRef(z, targets, M, V);
      const ctx = `head kernels M=${M} V=${V} chunk=${chunk} seed=${seed}`;
      assertClose(await readF32(device, logp, M), ref.logp, { atol: 2e-6, rtol: 1e-6 }, `${ctx} logp`);
      assertClose(await readF32(device, entropy, M), ref.entropy, { atol: 2e-6, rtol: 1e-5 }, `${ctx} entropy`);
      const gotLogp = await readF32(device, logp, M);
      targets.forEach((t, m) => {
        if (t >= V) expect(gotLogp[m], `${ctx} padding row ${m}`).toBe(0);
      });
      const dzRef = headDlogitsRef(z, targets, wlogp, went, M, V);
      for (const c of chunks) {
        const got = await readF32(device, c.buf, M * c.rows);
        const want = new Float64Array(M * c.rows);
        for (let m = 0; m < M; m++) want.set(dzRef.subarray(m * V + c.start, m * V + c.start + c.rows), m * c.rows);
        assertClose(got, want, { atol: 2e-6, rtol: 1e-5 }, `${ctx} dz chunk ${c.start}`);
      }
    });
  }
});

describe("head end to end (linear logits per chunk)", () => {
  const cases: [WeightFormat, number, number, number, number | undefined][] = [
    ["f32", 5, 103, 32, 32],
    ["q8_0", 5, 103, 64, 32],
    ["q4_0", 5, 103, 64, 32],
    ["f32", 1, 50, 12, undefined],
    ["q8_0", 3, 70, 32, undefined],
  ];
  for (const [format, M, V, C, chunk] of cases) {
    it(`${format}: logp, entropy, dh${format === "f32" ? ", dW" : ""} (M ${M}, V ${V}, C ${C}, chunk ${chunk ?? "default"})`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const Wm = quantize(uniformArray(rand, V * C, -0.5, 0.5), V, C, format);
      const W = dequantize(Wm);
      const h = uniformArray(rand, M * C, -2, 2);
      const targets = makeTargets(rand, M, V);
      const wlogp = uniformArray(rand, M, -1, 1);
      const went = uniformArray(rand, M, -1, 1);
      const dhInit = uniformArray(rand, M * C, -1, 1);
      const hBuf = storageBuffer(device, h);
      const trainW = format === "f32";
      const dW = trainW ? poisonedF32(device, V * C) : undefined;
      const dh = poisonedF32(device, M * C);
      const dhAcc = storageBuffer(device, dhInit);
      const plan = await gpuChecked(device, () =>
        prepareHead(
          device,
          { h: hBuf, w: uploadWeight(device, Wm), targets: storageBuffer(device, targets) },
          { M, chunk },
          { weightGrad: dW },
        ),
      );
      const io = { wlogp: storageBuffer(device, wlogp), went: storageBuffer(device, went) };
      await gpuChecked(device, () => {
        runDispatches(device, plan.forward());
        runDispatches(device, plan.backward({ ...io, dh, accumulateDh: false }));
        runDispatches(device, plan.backward({ ...io, dh: dhAcc, accumulateDh: true, accumulateDw: true }));
      });
      expect(plan.backward({ ...io, dh, accumulateDh: false })).toBe(plan.backward({ ...io, dh, accumulateDh: false }));
      const ctx = `head ${format} M=${M} V=${V} C=${C} chunk=${plan.chunk} seed=${seed}`;
      const ref = headRef(h, W, targets, M, V, C);
      assertClose(await readF32(device, plan.logp, M), ref.logp, { atol: 1e-5, rtol: 1e-5 }, `${ctx} logp`);
      assertClose(await readF32(device, plan.entropy, M), ref.entropy, { atol: 1e-5, rtol: 1e-5 }, `${ctx} entropy`);
      const grads = headBackwardRef(h, W, targets, wlogp, went, M, V, C);
      assertClose(await readF32(device, dh, M * C), grads.dh, { atol: 1e-5, rtol: 1e-4 }, `${ctx} dh`);
      assertClose(
        await readF32(device, dhAcc, M * C),
        grads.dh.map((g, i) => g + dhInit[i]!),
        { atol: 1e-5, rtol: 1e-4 },
        `${ctx} dh accumulated`,
      );
      // dW was overwritten by the first backward, then accumulated into by the second: twice the gradient.
      if (dW) assertClose(await readF32(device, dW, V * C), grads.dW.map((g) => 2 * g), { atol: 2e-5, rtol: 1e-4 }, `${ctx} dW`);
      plan.destroy();
    });
  }
});
