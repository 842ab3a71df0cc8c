// Checks the SwiGLU forward and backward kernels against the float64 reference, including gates large enough to overflow a naive sigmoid. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { swigluBackwardRef, swigluForwardRef } from "../../ref/swiglu";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareSwigluBackward, prepareSwigluForward } from "./swiglu";

const SIZES = [1, 255, 1000, 70_001];
const EXTREMES = [-1000, -100, -90, -30, 30, 90, 100, 1000, 0];

function inputs(rand: () => number, n: number) {
  const gate = uniformArray(rand, n, -12, 12);
  EXTREMES.forEach((g, k) => {
    if (k + 1 < n) gate[k + 1] = g;
  });
  return { gate, up: uniformArray(rand, n, -2, 2), dh: uniformArray(rand, n, -1, 1) };
}

// f32 exp() is accurate to 3 + 2|x| ulp in WGSL; the sigmoid's error stays near 1e-6 relative.
const TOL = { atol: 1e-6, rtol: 1e-5 };

describe("swiglu_forward", () => {
  for (const n of SIZES) {
    it(`matches the reference for n=${n}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const { gate, up } = inputs(mulberry32(seed), n);
      const h = poisonedF32(device, n);
      await gpuChecked(device, () =>
        runDispatches(device, [prepareSwigluForward(device, { gate: storageBuffer(device, gate), up: storageBuffer(device, up), h }, { n })]),
      );
      assertClose(await readF32(device, h, n), swigluForwardRef(gate, up), TOL, `swiglu h n=${n} seed=${seed}`);
    });
  }
});

describe("swiglu_backward", () => {
  for (const n of SIZES) {
    it(`matches the reference for n=${n}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const { gate, up, dh } = inputs(mulberry32(seed), n);
      const dgate = poisonedF32(device, n);
      const dup = poisonedF32(device, n);
      const io = { gate: storageBuffer(device, gate), up: storageBuffer(device, up), dh: storageBuffer(device, dh), dgate, dup };
      await gpuChecked(device, () => runDispatches(device, [prepareSwigluBackward(device, io, { n })]));
      const want = swigluBackwardRef(gate, up, dh);
      assertClose(await readF32(device, dgate, n), want.dgate, TOL, `swiglu dgate n=${n} seed=${seed}`);
      assertClose(await readF32(device, dup, n), want.dup, TOL, `swiglu dup n=${n} seed=${seed}`);
    });
  }
});
