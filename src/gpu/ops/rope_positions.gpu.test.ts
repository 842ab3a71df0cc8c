// Checks RoPE at explicit per-row positions (generation) against the float64 reference, rows at scattered positions up to 40000. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { ropePositionsRef } from "../../ref/rope_positions";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, testDevice } from "../testing";
import { prepareRopePositionsForward } from "./rope_positions";

describe("rope_positions_forward", () => {
  for (const [M, heads, headDim, theta] of [[1, 1, 2, 10000], [7, 3, 16, 10000], [13, 2, 64, 1000000]] as const) {
    it(`rotates M=${M} rows of ${heads} heads × ${headDim} at their own positions (theta ${theta})`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const x = uniformArray(rand, M * heads * headDim, -2, 2);
      const positions = Array.from({ length: M }, (_, r) => (r === 0 ? 0 : Math.floor(rand() * (r % 2 ? 40000 : 50))));
      const rowpos = new Uint32Array(2 * M);
      positions.forEach((p, r) => {
        rowpos[2 * r] = Math.floor(rand() * 5); // slots are ignored by RoPE
        rowpos[2 * r + 1] = p;
      });
      const xb = storageBuffer(device, x);
      await gpuChecked(device, () =>
        runDispatches(device, [prepareRopePositionsForward(device, { x: xb, rowpos: storageBuffer(device, rowpos) }, { M, heads, headDim, theta })]),
      );
      const got = await readF32(device, xb, x.length);
      assertClose(got, ropePositionsRef(x, positions, { heads, headDim, theta }), { atol: 3e-6, rtol: 1e-5 }, `rope_positions seed=${seed} positions=${positions.join(",")}`);
    });
  }
});
