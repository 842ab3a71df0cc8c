// Checks the RMSNorm forward (GPU and CPU-adapter workgroup widths), input-gradient (write and accumulate modes) and weight-gradient (accumulate) kernels against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { rmsnormBackwardRef, rmsnormForwardRef } from "../../ref/rmsnorm";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, KERNEL_STYLES, poisonedF32, styledTestDevice, testDevice } from "../testing";
import { prepareRmsnormBackward, prepareRmsnormForward } from "./rmsnorm";

const SHAPES: [number, number][] = [
  [1, 1],
  [3, 7],
  [5, 300],
  [2, 896],
];

describe("rmsnorm_forward", () => {
  for (const style of KERNEL_STYLES) for (const [T, C] of SHAPES) {
    it(`${style} kernels match the reference for T=${T} C=${C}`, async () => {
      const device = await styledTestDevice(style);
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const eps = 1e-6;
      const x = uniformArray(rand, T * C, -2, 2);
      const w = uniformArray(rand, C, -2, 2);
      const y = poisonedF32(device, T * C);
      const rstd = poisonedF32(device, T);
      await gpuChecked(device, () =>
        runDispatches(device, [
          prepareRmsnormForward(device, { x: storageBuffer(device, x), w: storageBuffer(device, w), y, rstd }, { T, C, eps }),
        ]),
      );
      const want = rmsnormForwardRef(x, w, T, C, eps);
      // f32: a C-term sum of squares (sequential per thread, then a tree), one sqrt, two products.
      const tol = { atol: 1e-6, rtol: 2e-6 };
      assertClose(await readF32(device, rstd, T), want.rstd, tol, `rmsnorm rstd T=${T} C=${C} seed=${seed}`);
      assertClose(await readF32(device, y, T * C), want.y, tol, `rmsnorm y T=${T} C=${C} seed=${seed}`);
    });
  }
});

describe("rmsnorm_backward", () => {
  for (const style of KERNEL_STYLES) for (const [T, C] of SHAPES) {
    for (const accumulateDx of [false, true]) {
      it(`${style} kernels match the reference for T=${T} C=${C} accumulateDx=${accumulateDx}`, async () => {
        const device = await styledTestDevice(style);
        const seed = freshSeed();
        const rand = mulberry32(seed);
        const eps = 1e-6;
        const x = uniformArray(rand, T * C, -2, 2);
        const w = uniformArray(rand, C, -2, 2);
        const dy = uniformArray(rand, T * C, -1, 1);
        const dx0 = uniformArray(rand, T * C, -1, 1);
        const dw0 = uniformArray(rand, C, -1, 1);
        const { rstd } = rmsnormForwardRef(x, w, T, C, eps);
        const dx = accumulateDx ? storageBuffer(device, dx0) : poisonedF32(device, T * C);
        const dw = storageBuffer(device, dw0);
        const io = {
          x: storageBuffer(device, x),
          w: storageBuffer(device, w),
          rstd: storageBuffer(device, Float32Array.from(rstd)),
          dy: storageBuffer(device, dy),
          dx,
          dw,
        };
        const dispatches = prepareRmsnormBackward(device, io, { T, C, accumulateDx });
        expect(dispatches.length).toBe(2);
        await gpuChecked(device, () => runDispatches(device, dispatches));
        const want = rmsnormBackwardRef(x, w, dy, T, C, eps);
        const wantDx = accumulateDx ? want.dx.map((v, i) => v + (dx0[i] as number)) : want.dx;
        const wantDw = want.dw.map((v, i) => v + (dw0[i] as number));
        // f32: dx subtracts two O(1) terms after a C-term dot product; dw sums T terms.
        const tol = { atol: 2e-6, rtol: 1e-5 };
        assertClose(await readF32(device, dx, T * C), wantDx, tol, `rmsnorm dx T=${T} C=${C} seed=${seed}`);
        assertClose(await readF32(device, dw, C), wantDw, tol, `rmsnorm dw T=${T} C=${C} seed=${seed}`);
      });
    }
  }

  it("computes dx alone when no dw is given, and is deterministic", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [T, C, eps] = [4, 130, 1e-6];
    const x = uniformArray(rand, T * C, -2, 2);
    const w = uniformArray(rand, C, -2, 2);
    const dy = uniformArray(rand, T * C, -1, 1);
    const { rstd } = rmsnormForwardRef(x, w, T, C, eps);
    const inputs = {
      x: storageBuffer(device, x),
      w: storageBuffer(device, w),
      rstd: storageBuffer(device, Float32Array.from(rstd)),
      dy: storageBuffer(device, dy),
    };
    const runs: Float32Array[] = [];
    for (let k = 0; k < 2; k++) {
      const dx = poisonedF32(device, T * C);
      const dispatches = prepareRmsnormBackward(device, { ...inputs, dx }, { T, C, accumulateDx: false });
      expect(dispatches.length).toBe(1);
      await gpuChecked(device, () => runDispatches(device, dispatches));
      runs.push(await readF32(device, dx, T * C));
    }
    assertClose(runs[0]!, rmsnormBackwardRef(x, w, dy, T, C, eps).dx, { atol: 2e-6, rtol: 1e-5 }, `rmsnorm dx seed=${seed}`);
    expect(Array.from(runs[1]!)).toEqual(Array.from(runs[0]!));
  });
});
