// Checks the embedding backward kernel (accumulating into dE, repeated and out-of-range ids) against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { assertClose } from "../../ref/compare";
import { embeddingBackwardRef } from "../../ref/embedding_backward";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, testDevice } from "../testing";
import { prepareEmbeddingBackward } from "./embedding_backward";

describe("embedding_backward", () => {
  for (const [T, C, V] of [
    [1, 1, 1],
    [23, 13, 37],
    [40, 70, 5],
    [9, 64, 3],
  ] as const) {
    it(`accumulates the reference gradient for T=${T} C=${C} V=${V}`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const ids = new Uint32Array(T).map(() => Math.floor(rand() * V));
      if (T > 2) {
        ids[T - 1] = V + 5; // out of range: ignored
        ids[T - 2] = 0xffffffff;
      }
      const dx = uniformArray(rand, T * C, -1, 1);
      const dE0 = uniformArray(rand, V * C, -1, 1);
      const dE = storageBuffer(device, dE0);
      const io = { ids: storageBuffer(device, ids), dx: storageBuffer(device, dx), dE };
      const dispatch = prepareEmbeddingBackward(device, io, { T, C, V });
      await gpuChecked(device, () => runDispatches(device, [dispatch]));
      const got = await readF32(device, dE, V * C);
      const want = embeddingBackwardRef(ids, dx, V, C, Float64Array.from(dE0));
      // f32: each element adds at most T values in t order.
      assertClose(got, want, { atol: 1e-6, rtol: 1e-6 }, `embedding backward T=${T} C=${C} V=${V} seed=${seed}`);
      // Replaying adds the same gradient again, bit for bit the same sums.
      await gpuChecked(device, () => runDispatches(device, [dispatch]));
      const twice = await readF32(device, dE, V * C);
      const again = embeddingBackwardRef(ids, dx, V, C, Float64Array.from(got));
      assertClose(twice, again, { atol: 1e-6, rtol: 1e-6 }, `embedding backward replay seed=${seed}`);
      expect(twice.length).toBe(V * C);
    });
  }
});
