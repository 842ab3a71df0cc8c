// Checks the f32 matmul, GPU (tiled, small-M) and CPU-adapter (direct) variants (all transpose combinations, alpha/beta, element offsets, awkward sizes) against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { matmulRef } from "../../ref/matmul";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, KERNEL_STYLES, poisonedF32, styledTestDevice } from "../testing";
import { prepareMatmul } from "./matmul";

const TOL = { atol: 1e-5, rtol: 1e-5 };

describe("matmul", () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [65, 70, 33],
    [17, 1, 129],
    [1, 6, 70], // small-M kernel from here on
    [5, 67, 100],
  ];
  for (const style of KERNEL_STYLES) for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${style} kernels: (${M}, ${N}, ${K}) transA=${transA} transB=${transB}, beta = 0 over NaN`, async () => {
          const device = await styledTestDevice(style);
          const seed = freshSeed();
          const rand = mulberry32(seed);
          const a = uniformArray(rand, M * K);
          const b = uniformArray(rand, K * N);
          const c = poisonedF32(device, M * N);
          const dims = { M, N, K, transA, transB, alpha: 0.75, beta: 0 };
          await gpuChecked(device, () =>
            runDispatches(device, [prepareMatmul(device, { a: storageBuffer(device, a), b: storageBuffer(device, b), c }, dims)]),
          );
          const got = await readF32(device, c, M * N);
          assertClose(got, matmulRef(a, b, undefined, dims), TOL, `matmul (${M},${N},${K}) ${transA} ${transB} seed=${seed}`);
        });
      }
    }
  }

  for (const style of KERNEL_STYLES) for (const [M, N, K] of [[9, 13, 21], [3, 13, 80]] as const) {
    it(`${style} kernels: (${M}, ${N}, ${K}) accumulates with beta = 1 into a row range addressed by offsets, leaving the rest alone`, async () => {
      const device = await styledTestDevice(style);
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const [aOff, bOff, cOff] = [5, 3, 2 * N];
      const a = uniformArray(rand, aOff + K * M + 7);
      const b = uniformArray(rand, bOff + N * K + 1);
      const c0 = uniformArray(rand, cOff + M * N + N);
      const c = storageBuffer(device, c0);
      const dims = { M, N, K, transA: true, transB: true, alpha: -1.5, beta: 1, aOffset: aOff, bOffset: bOff, cOffset: cOff };
      await gpuChecked(device, () =>
        runDispatches(device, [prepareMatmul(device, { a: storageBuffer(device, a), b: storageBuffer(device, b), c }, dims)]),
      );
      const got = await readF32(device, c, c0.length);
      const want = Float64Array.from(c0);
      want.set(matmulRef(a.subarray(aOff), b.subarray(bOff), c0.subarray(cOff), dims), cOff);
      assertClose(got, want, TOL, `matmul offsets seed=${seed}`);
      expect(Array.from(got.subarray(0, cOff))).toEqual(Array.from(c0.subarray(0, cOff)));
    });
  }
});
