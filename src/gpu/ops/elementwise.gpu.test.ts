// Checks the axpy, column-sum (write and accumulate modes) and fill kernels against their float64 references. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { axpyRef, columnSumRef, fillRef } from "../../ref/elementwise";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareAxpy, prepareColumnSum, prepareFill } from "./elementwise";

describe("axpy", () => {
  for (const n of [1, 255, 1000, 70_001]) {
    it(`adds alpha · x to y for n=${n}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const alpha = -3 + 6 * rand();
      const x = uniformArray(rand, n, -2, 2);
      const y0 = uniformArray(rand, n, -2, 2);
      const y = storageBuffer(device, y0);
      await gpuChecked(device, () => runDispatches(device, [prepareAxpy(device, { x: storageBuffer(device, x), y }, { n, alpha })]));
      // f32: alpha rounded to f32, one multiply and one add (possibly fused).
      assertClose(await readF32(device, y, n), axpyRef(Math.fround(alpha), x, y0), { atol: 1e-6, rtol: 1e-6 }, `axpy n=${n} seed=${seed}`);
    });
  }
});

describe("column_sum", () => {
  for (const [M, N] of [
    [1, 1],
    [5, 3],
    [37, 17],
    [100, 300],
    [0, 5],
  ] as const) {
    for (const accumulate of [false, true]) {
      it(`sums columns for M=${M} N=${N} accumulate=${accumulate}`, async () => {
        const device = await testDevice();
        const seed = freshSeed();
        const rand = mulberry32(seed);
        const dy = uniformArray(rand, M * N, -1, 1);
        const db0 = uniformArray(rand, N, -1, 1);
        const db = accumulate ? storageBuffer(device, db0) : poisonedF32(device, N);
        await gpuChecked(device, () =>
          runDispatches(device, [prepareColumnSum(device, { dy: storageBuffer(device, dy), db }, { M, N, accumulate })]),
        );
        const want = columnSumRef(dy, M, N, accumulate ? db0 : undefined);
        // f32: M terms in [-1, 1] per column, split over 16 lanes and combined by a tree; partial
        // sums reach ~sqrt(M), so rounding adds up to ~M·ulp(1) and the result may cancel to ~0.
        const tol = { atol: 1e-6 + 2e-7 * M, rtol: 1e-6 };
        assertClose(await readF32(device, db, N), want, tol, `column_sum M=${M} N=${N} seed=${seed}`);
      });
    }
  }
});

describe("fill", () => {
  for (const n of [1, 300, 70_001]) {
    it(`writes the value everywhere for n=${n}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const value = Math.fround(-5 + 10 * mulberry32(seed)());
      const y = poisonedF32(device, n);
      await gpuChecked(device, () => runDispatches(device, [prepareFill(device, { y }, { n, value })]));
      assertClose(await readF32(device, y, n), fillRef(n, value), { atol: 0, rtol: 0 }, `fill n=${n} seed=${seed}`);
    });
  }
});
