// Checks rope_forward / rope_backward against the float64 reference, including angle accuracy at positions up to 32767. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { assertClose, findMismatches } from "../../ref/compare";
import { type RopeDims, ropeBackwardRef, ropeForwardRef } from "../../ref/rope";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, testDevice } from "../testing";
import { prepareRopeBackward, prepareRopeForward } from "./rope";

async function runRope(which: "forward" | "backward", x: Float32Array, dims: RopeDims): Promise<Float32Array> {
  const device = await testDevice();
  const buf = storageBuffer(device, x);
  await gpuChecked(device, () =>
    runDispatches(device, [which === "forward" ? prepareRopeForward(device, { x: buf }, dims) : prepareRopeBackward(device, { dx: buf }, dims)]),
  );
  return readF32(device, buf, x.length);
}

// Inputs in [-1, 1]: the angle error (~1e-6 rad) and f32 rounding bound the output error.
const TOL = { atol: 2e-6, rtol: 2e-6 };

describe("rope", () => {
  const shapes: RopeDims[] = [
    { B: 2, Tmax: 7, heads: 3, headDim: 8, theta: 1e4 },
    { B: 3, Tmax: 13, heads: 2, headDim: 64, theta: 1e6 },
    { B: 1, Tmax: 1, heads: 1, headDim: 2, theta: 1e4 },
    { B: 2, Tmax: 5, heads: 2, headDim: 128, theta: 1e6 },
  ];
  for (const dims of shapes) {
    for (const which of ["forward", "backward"] as const) {
      it(`${which} B=${dims.B} Tmax=${dims.Tmax} heads=${dims.heads} D=${dims.headDim} theta=${dims.theta}`, async () => {
        const seed = freshSeed();
        const x = uniformArray(mulberry32(seed), dims.B * dims.Tmax * dims.heads * dims.headDim);
        const got = await runRope(which, x, dims);
        const want = which === "forward" ? ropeForwardRef(x, dims) : ropeBackwardRef(x, dims);
        assertClose(got, want, TOL, `rope ${which} seed=${seed}`);
      });
    }
  }

  for (const theta of [1e4, 1e6]) {
    it(`stays accurate at positions up to 32767 (theta=${theta})`, async () => {
      // Unit vectors (x[d] = 1, x[d+half] = 0) read back cos and sin of each angle directly.
      const dims: RopeDims = { B: 1, Tmax: 32768, heads: 1, headDim: 128, theta };
      const x = new Float32Array(dims.Tmax * dims.headDim);
      for (let t = 0; t < dims.Tmax; t++) x.fill(1, t * 128, t * 128 + 64);
      const got = await runRope("forward", x, dims);
      const want = ropeForwardRef(x, dims);
      const { maxAbsError } = findMismatches(got, want, { atol: 0, rtol: 0 });
      console.log(`rope theta=${theta}: max |error| of cos/sin over positions < 32768 = ${maxAbsError.toExponential(2)}`);
      expect(maxAbsError).toBeLessThan(1.5e-6);
    });
  }
});
