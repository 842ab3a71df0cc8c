// Checks the linear forward, input-gradient (GPU and CPU-adapter variants) (f32/Q8_0/Q4_0 weights, row ranges, bias, accumulate) and f32 weight-gradient kernels against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { dequantize, quantize } from "../../quant/weights";
import { type WeightFormat } from "../../protocol/tensors";
import { assertClose } from "../../ref/compare";
import { linearBackwardInputRef, linearForwardRef, linearWeightGradRef } from "../../ref/linear";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, KERNEL_STYLES, poisonedF32, styledTestDevice, testDevice } from "../testing";
import { uploadWeight } from "../weights";
import { prepareLinearBackwardInput, prepareLinearForward, prepareLinearWeightGrad } from "./linear";

const TOL = { atol: 2e-5, rtol: 1e-5 };

type Case = { M: number; R: number; K: number; rowStart: number; rows: number; bias: boolean; accumulate: boolean };

const cases: Case[] = [
  { M: 1, R: 1, K: 32, rowStart: 0, rows: 1, bias: false, accumulate: false },
  { M: 5, R: 70, K: 96, rowStart: 3, rows: 41, bias: true, accumulate: false },
  { M: 67, R: 66, K: 64, rowStart: 0, rows: 66, bias: true, accumulate: true },
  { M: 2, R: 130, K: 128, rowStart: 65, rows: 65, bias: false, accumulate: true },
  { M: 6, R: 9, K: 288, rowStart: 1, rows: 7, bias: true, accumulate: true },
  { M: 9, R: 20, K: 32, rowStart: 2, rows: 17, bias: true, accumulate: false },
];

function setup(format: WeightFormat, c: Case) {
  const seed = freshSeed();
  const rand = mulberry32(seed);
  const K = format === "f32" && c.K > 32 ? c.K - 28 : c.K; // f32 also gets K % 32 != 0
  const m = quantize(uniformArray(rand, c.R * K, -1, 1), c.R, K, format);
  return { seed, rand, K, m, W: dequantize(m) };
}

describe("linear", () => {
  for (const style of KERNEL_STYLES) for (const format of ["f32", "q8_0", "q4_0"] as WeightFormat[]) {
    for (const c of cases) {
      const name = `${style} kernels, ${format} M=${c.M} W=(${c.R}, ${c.K}) rows [${c.rowStart}, +${c.rows})${c.bias ? " bias" : ""}${c.accumulate ? " accumulate" : ""}`;

      it(`forward ${name}`, async () => {
        const device = await styledTestDevice(style);
        const { seed, rand, K, m, W } = setup(format, c);
        const x = uniformArray(rand, c.M * K);
        const bias = c.bias ? uniformArray(rand, c.R) : undefined;
        const y0 = uniformArray(rand, c.M * c.rows);
        const y = c.accumulate ? storageBuffer(device, y0) : poisonedF32(device, c.M * c.rows);
        const io = { x: storageBuffer(device, x), w: uploadWeight(device, m), y, ...(bias ? { bias: storageBuffer(device, bias) } : {}) };
        await gpuChecked(device, () =>
          runDispatches(device, [prepareLinearForward(device, io, { M: c.M, rowStart: c.rowStart, rows: c.rows, accumulate: c.accumulate })]),
        );
        const want = linearForwardRef(x, W, bias, { M: c.M, N: c.rows, K, rowStart: c.rowStart });
        if (c.accumulate) want.forEach((v, i) => (want[i] = v + (y0[i] as number)));
        assertClose(await readF32(device, y, c.M * c.rows), want, TOL, `linear_forward ${name} seed=${seed}`);
      });

      it(`backward input ${name}`, async () => {
        const device = await styledTestDevice(style);
        const { seed, rand, K, m, W } = setup(format, c);
        const dy = uniformArray(rand, c.M * c.rows);
        const dx0 = uniformArray(rand, c.M * K);
        const dx = c.accumulate ? storageBuffer(device, dx0) : poisonedF32(device, c.M * K);
        const io = { dy: storageBuffer(device, dy), w: uploadWeight(device, m), dx };
        await gpuChecked(device, () =>
          runDispatches(device, [prepareLinearBackwardInput(device, io, { M: c.M, rowStart: c.rowStart, rows: c.rows, accumulate: c.accumulate })]),
        );
        const want = linearBackwardInputRef(dy, W, { M: c.M, N: c.rows, K, rowStart: c.rowStart });
        if (c.accumulate) want.forEach((v, i) => (want[i] = v + (dx0[i] as number)));
        assertClose(await readF32(device, dx, c.M * K), want, TOL, `linear_backward_input ${name} seed=${seed}`);
      });
    }
  }

  for (const accumulate of [false, true]) {
    it(`weight gradient into a row range, accumulate=${accumulate}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const [M, N, K, R, rowStart] = [19, 7, 70, 12, 4];
      const dy = uniformArray(rand, M * N);
      const x = uniformArray(rand, M * K);
      const dw0 = uniformArray(rand, R * K);
      if (!accumulate) dw0.fill(Number.NaN, rowStart * K, (rowStart + N) * K);
      const dw = storageBuffer(device, dw0);
      await gpuChecked(device, () =>
        runDispatches(device, [
          prepareLinearWeightGrad(device, { dy: storageBuffer(device, dy), x: storageBuffer(device, x), dw }, { M, N, K, rowStart, accumulate }),
        ]),
      );
      const got = await readF32(device, dw, R * K);
      const want = linearWeightGradRef(dy, x, { M, N, K });
      if (accumulate) want.forEach((v, i) => (want[i] = v + (dw0[rowStart * K + i] as number)));
      assertClose(got.subarray(rowStart * K, (rowStart + N) * K), want, TOL, `linear weight grad seed=${seed}`);
      expect(Array.from(got.subarray(0, rowStart * K))).toEqual(Array.from(dw0.subarray(0, rowStart * K)));
      expect(Array.from(got.subarray((rowStart + N) * K))).toEqual(Array.from(dw0.subarray((rowStart + N) * K)));
    });
  }
});
