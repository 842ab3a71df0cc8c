// Checks attention_forward (o, lse) and the attention backward kernels (dq, dk, dv) against the float64 reference on padded GQA batches, with garbage in the padding rows. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { type AttentionDims, attentionBackwardRef, attentionForwardRef } from "../../ref/attention";
import { assertClose } from "../../ref/compare";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareAttentionBackward, prepareAttentionForward } from "./attention";

type Case = AttentionDims & { lens: number[] };

const cases: Case[] = [
  { B: 2, Tmax: 7, NH: 4, NKV: 2, HD: 8, lens: [7, 3] },
  { B: 3, Tmax: 19, NH: 2, NKV: 1, HD: 16, lens: [19, 1, 11] },
  { B: 2, Tmax: 37, NH: 2, NKV: 2, HD: 64, lens: [29, 37] },
  { B: 1, Tmax: 1, NH: 3, NKV: 1, HD: 4, lens: [1] },
  { B: 2, Tmax: 11, NH: 2, NKV: 1, HD: 128, lens: [11, 5] },
];

/** Fills every padding row (i >= lens[b]) of a (B*Tmax, width) tensor with `value`. */
function fillPadding(x: Float32Array, c: Case, width: number, value: number): void {
  c.lens.forEach((len, b) => x.fill(value, (b * c.Tmax + len) * width, (b + 1) * c.Tmax * width));
}

// Inputs are O(1), scores a few units; measured worst errors are ~5e-7 (o) and under 1e-6 (grads).
const TOL_O = { atol: 1e-6, rtol: 1e-5 };
const TOL_GRAD = { atol: 2e-6, rtol: 2e-5 };

describe("attention", () => {
  for (const c of cases) {
    it(`forward and backward B=${c.B} Tmax=${c.Tmax} lens=[${c.lens}] NH=${c.NH} NKV=${c.NKV} HD=${c.HD}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const { B, Tmax, NH, NKV, HD } = c;
      const qw = NH * HD;
      const kw = NKV * HD;
      const q = uniformArray(rand, B * Tmax * qw, -2, 2);
      const k = uniformArray(rand, B * Tmax * kw, -2, 2);
      const v = uniformArray(rand, B * Tmax * kw);
      const dO = uniformArray(rand, B * Tmax * qw);
      // Padding rows hold garbage that must not reach any output.
      fillPadding(q, c, qw, 1e4);
      fillPadding(k, c, kw, -1e4);
      fillPadding(v, c, kw, 1e4);
      fillPadding(dO, c, qw, 1e4);

      const buf = {
        q: storageBuffer(device, q),
        k: storageBuffer(device, k),
        v: storageBuffer(device, v),
        lens: storageBuffer(device, Uint32Array.from(c.lens)),
        o: poisonedF32(device, B * Tmax * qw),
        lse: poisonedF32(device, B * Tmax * NH),
        dO: storageBuffer(device, dO),
        delta: poisonedF32(device, B * Tmax * NH),
        dq: poisonedF32(device, B * Tmax * qw),
        dk: poisonedF32(device, B * Tmax * kw),
        dv: poisonedF32(device, B * Tmax * kw),
      };
      await gpuChecked(device, () =>
        runDispatches(device, [prepareAttentionForward(device, buf, c), ...prepareAttentionBackward(device, buf, c)]),
      );
      const [o, lse, dq, dk, dv] = await Promise.all([
        readF32(device, buf.o, B * Tmax * qw),
        readF32(device, buf.lse, B * Tmax * NH),
        readF32(device, buf.dq, B * Tmax * qw),
        readF32(device, buf.dk, B * Tmax * kw),
        readF32(device, buf.dv, B * Tmax * kw),
      ]);
      const fwd = attentionForwardRef(q, k, v, c.lens, c);
      const bwd = attentionBackwardRef(q, k, v, c.lens, dO, c);
      const ctx = `seed=${seed}`;
      assertClose(o, fwd.o, TOL_O, `o ${ctx}`);
      assertClose(lse, fwd.lse, TOL_O, `lse ${ctx}`);
      assertClose(dq, bwd.dq, TOL_GRAD, `dq ${ctx}`);
      assertClose(dk, bwd.dk, TOL_GRAD, `dk ${ctx}`);
      assertClose(dv, bwd.dv, TOL_GRAD, `dv ${ctx}`);
      // Padding rows are exactly zero.
      for (const [x, w] of [[o, qw], [dq, qw], [dk, kw], [dv, kw]] as const) {
        c.lens.forEach((len, b) => {
          expect(x.subarray((b * Tmax + len) * w, (b + 1) * Tmax * w).every((y) => y === 0)).toBe(true);
        });
      }
    });
  }

  it("backward is deterministic (two runs agree bit for bit)", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const c: Case = { B: 2, Tmax: 13, NH: 4, NKV: 2, HD: 16, lens: [13, 9] };
    const n = c.B * c.Tmax;
    const mk = (w: number) => storageBuffer(device, uniformArray(rand, n * w));
    const buf = {
      q: mk(c.NH * c.HD),
      k: mk(c.NKV * c.HD),
      v: mk(c.NKV * c.HD),
      dO: mk(c.NH * c.HD),
      lens: storageBuffer(device, Uint32Array.from(c.lens)),
      o: poisonedF32(device, n * c.NH * c.HD),
      lse: poisonedF32(device, n * c.NH),
      delta: poisonedF32(device, n * c.NH),
      dq: poisonedF32(device, n * c.NH * c.HD),
      dk: poisonedF32(device, n * c.NKV * c.HD),
      dv: poisonedF32(device, n * c.NKV * c.HD),
    };
    const dispatches = await gpuChecked(device, () => [prepareAttentionForward(device, buf, c), ...prepareAttentionBackward(device, buf, c)]);
    const snapshot = async () => {
      runDispatches(device, dispatches);
      return Promise.all([buf.dq, buf.dk, buf.dv].map((b, i) => readF32(device, b, n * (i === 0 ? c.NH : c.NKV) * c.HD)));
    };
    const first = await snapshot();
    const second = await snapshot();
    first.forEach((x, i) => expect(Array.from(second[i] as Float32Array), `seed=${seed}`).toEqual(Array.from(x)));
  });
});
