// Checks the embedding gather, and through it the f32/Q8_0/Q4_0 weight readers, against float64 references. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { dequantize, quantize } from "../../quant/weights";
import { type WeightFormat } from "../../protocol/tensors";
import { assertClose } from "../../ref/compare";
import { embeddingRef } from "../../ref/embedding";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { uploadWeight } from "../weights";
import { prepareEmbedding } from "./embedding";

describe("embedding_forward", () => {
  for (const format of ["f32", "q8_0", "q4_0"] as WeightFormat[]) {
    it(`gathers ${format} rows exactly as the dequantizer reads them`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const V = 37;
      const C = 96;
      const T = 23;
      const m = quantize(uniformArray(rand, V * C, -2, 2), V, C, format);
      const ids = new Uint32Array(T).map(() => Math.floor(rand() * V));
      ids[T - 1] = V + 5; // out of range: zeros
      const x = poisonedF32(device, T * C);
      await gpuChecked(device, () =>
        runDispatches(device, [prepareEmbedding(device, storageBuffer(device, ids), uploadWeight(device, m), x, T)]),
      );
      const got = await readF32(device, x, T * C);
      assertClose(got, embeddingRef(ids, dequantize(m), V, C), { atol: 0, rtol: 1e-7 }, `embedding ${format} seed=${seed}`);
    });
  }
});
