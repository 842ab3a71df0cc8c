// Checks the LoRA forward (u, y += …) and backward (dA, dB accumulate; du; dx overwrite or accumulate) matmul chains against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { loraBackwardRef, loraForwardRef } from "../../ref/lora";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareLoraBackward, prepareLoraForward } from "./lora";

const TOL = { atol: 2e-5, rtol: 1e-5 };

function plus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (v, i) => v + (b[i] as number));
}

describe("lora", () => {
  const shapes = [
    { M: 1, K: 4, N: 1, r: 1, accumulateDx: false },
    { M: 7, K: 40, N: 24, r: 8, accumulateDx: true },
    { M: 70, K: 36, N: 66, r: 3, accumulateDx: false },
    { M: 3, K: 96, N: 80, r: 4, accumulateDx: true }, // decode-sized: x · Aᵀ and dy · B take the small-M kernel
  ];
  for (const { M, K, N, r, accumulateDx } of shapes) {
    it(`forward and backward M=${M} K=${K} N=${N} r=${r} accumulateDx=${accumulateDx}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const dims = { M, K, N, r, scale: 2 };
      const x = uniformArray(rand, M * K);
      const A = uniformArray(rand, r * K);
      const B = uniformArray(rand, N * r);
      const y0 = uniformArray(rand, M * N);
      const dy = uniformArray(rand, M * N);
      const dA0 = uniformArray(rand, r * K);
      const dB0 = uniformArray(rand, N * r);
      const dx0 = uniformArray(rand, M * K);
      const buf = {
        x: storageBuffer(device, x),
        A: storageBuffer(device, A),
        B: storageBuffer(device, B),
        u: poisonedF32(device, M * r),
        y: storageBuffer(device, y0),
        dy: storageBuffer(device, dy),
        du: poisonedF32(device, M * r),
        dA: storageBuffer(device, dA0),
        dB: storageBuffer(device, dB0),
        dx: accumulateDx ? storageBuffer(device, dx0) : poisonedF32(device, M * K),
      };
      await gpuChecked(device, () =>
        runDispatches(device, [
          ...prepareLoraForward(device, buf, dims),
          ...prepareLoraBackward(device, buf, { ...dims, accumulateDx }),
        ]),
      );
      const fwd = loraForwardRef(x, A, B, y0, dims);
      const u = await readF32(device, buf.u, M * r);
      assertClose(u, fwd.u, TOL, `lora u seed=${seed}`);
      assertClose(await readF32(device, buf.y, M * N), fwd.y, TOL, `lora y seed=${seed}`);
      const bwd = loraBackwardRef(x, fwd.u, dy, A, B, dims);
      assertClose(await readF32(device, buf.du, M * r), bwd.du, TOL, `lora du seed=${seed}`);
      assertClose(await readF32(device, buf.dA, r * K), plus(bwd.dA, dA0), TOL, `lora dA seed=${seed}`);
      assertClose(await readF32(device, buf.dB, N * r), plus(bwd.dB, dB0), TOL, `lora dB seed=${seed}`);
      const dxWant = accumulateDx ? plus(bwd.dx, dx0) : bwd.dx;
      assertClose(await readF32(device, buf.dx, M * K), dxWant, TOL, `lora dx seed=${seed}`);
    });
  }
});
