// Checks the generation attention path against float64 references: K/V rows scattered into a cache, and attention of rows of several slots at various positions over their slot's cache (GQA, chunk boundaries, position 0). Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { attentionCachedRef, kvCacheWriteRef } from "../../ref/attention_cached";
import { assertClose } from "../../ref/compare";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { prepareAttentionCachedForward } from "./attention_cached";
import { prepareKvCacheWrite } from "./kv_cache_write";

describe("kv_cache_write", () => {
  it("writes each row at its (slot, position) and leaves the rest of the cache alone", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [S, L, W, M] = [3, 9, 24, 5];
    const k = uniformArray(rand, M * W);
    const v = uniformArray(rand, M * W);
    const kc0 = uniformArray(rand, S * L * W);
    const vc0 = uniformArray(rand, S * L * W);
    const slots = [2, 0, 2, 1, 0];
    const positions = [8, 0, 3, 4, 7];
    const rowpos = new Uint32Array(slots.flatMap((s, i) => [s, positions[i]!]));
    const kc = storageBuffer(device, kc0);
    const vc = storageBuffer(device, vc0);
    await gpuChecked(device, () =>
      runDispatches(device, [
        prepareKvCacheWrite(device, { k: storageBuffer(device, k), v: storageBuffer(device, v), rowpos: storageBuffer(device, rowpos), kc, vc }, { M, W, L }),
      ]),
    );
    const want = kvCacheWriteRef(k, v, kc0, vc0, slots, positions, { W, L });
    assertClose(await readF32(device, kc, S * L * W), want.kc, { atol: 0, rtol: 0 }, `kc seed=${seed}`);
    assertClose(await readF32(device, vc, S * L * W), want.vc, { atol: 0, rtol: 0 }, `vc seed=${seed}`);
  });
});

describe("attention_cached_forward", () => {
  // [NH, NKV, HD, L, rows as (slot, position)]: positions across the 64-key chunk boundary, position 0, one row.
  const cases: [number, number, number, number, [number, number][]][] = [
    [1, 1, 4, 1, [[0, 0]]],
    [4, 2, 16, 80, [[0, 0], [1, 63], [1, 64], [2, 79], [0, 17], [2, 5], [1, 1]]],
    [6, 2, 64, 150, [[1, 129], [0, 40]]],
    [2, 2, 8, 12, [[0, 11], [0, 3], [0, 4]]],
  ];
  for (const [NH, NKV, HD, L, rows] of cases) {
    it(`matches the reference: NH=${NH} NKV=${NKV} HD=${HD} L=${L}, ${rows.length} row(s)`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const S = 3;
      const M = rows.length;
      const W = NKV * HD;
      const q = uniformArray(rand, M * NH * HD, -2, 2);
      const kc = uniformArray(rand, S * L * W, -2, 2);
      const vc = uniformArray(rand, S * L * W, -2, 2);
      const slots = rows.map((r) => r[0]);
      const positions = rows.map((r) => r[1]);
      const o = poisonedF32(device, M * NH * HD);
      await gpuChecked(device, () =>
        runDispatches(device, [
          prepareAttentionCachedForward(
            device,
            {
              q: storageBuffer(device, q),
              kc: storageBuffer(device, kc),
              vc: storageBuffer(device, vc),
              rowpos: storageBuffer(device, new Uint32Array(rows.flat())),
              o,
            },
            { M, NH, NKV, HD, L },
          ),
        ]),
      );
      const got = await readF32(device, o, M * NH * HD);
      const want = attentionCachedRef(q, kc, vc, slots, positions, { NH, NKV, HD, L });
      assertClose(got, want, { atol: 2e-6, rtol: 1e-5 }, `attention_cached seed=${seed}`);
      // A different slot's cache gives a different answer (the kernel really reads the row's slot).
      if (new Set(slots).size > 1) {
        const other = attentionCachedRef(q, kc, vc, slots.map((s) => (s + 1) % S), positions, { NH, NKV, HD, L });
        expect(Math.max(...got.map((g, i) => Math.abs(g - other[i]!)))).toBeGreaterThan(1e-3);
      }
    });
  }
});
