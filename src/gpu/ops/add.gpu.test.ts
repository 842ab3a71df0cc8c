// Checks the add_forward kernel against the float64 reference on fresh random inputs. Needs WebGPU (runs in headless Chromium).
import { describe, expect, it } from "vitest";
import { addRef } from "../../ref/add";
import { assertClose } from "../../ref/compare";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareAdd } from "./add";

describe("add_forward", () => {
  for (const n of [1, 255, 256, 1000, 70_001]) {
    it(`matches the reference for N=${n}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const a = uniformArray(rand, n, -10, 10);
      const b = uniformArray(rand, n, -10, 10);
      const bufA = storageBuffer(device, a);
      const bufB = storageBuffer(device, b);
      const bufY = poisonedF32(device, n);
      await gpuChecked(device, () => runDispatches(device, [prepareAdd(device, bufA, bufB, bufY, n)]));
      const got = await readF32(device, bufY, n);
      // f32 rounding of one add: half an ulp of |y| <= 20.
      assertClose(got, addRef(a, b), { atol: 1e-6, rtol: 1e-6 }, `add_forward N=${n} seed=${seed}`);
      expect(got.length).toBe(n);
    });
  }
});
