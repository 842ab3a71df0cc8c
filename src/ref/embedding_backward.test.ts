// Checks the float64 embedding backward reference against central finite differences of the embedding gather, with repeated and out-of-range ids. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { assertClose } from "./compare";
import { embeddingRef } from "./embedding";
import { embeddingBackwardRef } from "./embedding_backward";

describe("embedding backward reference", () => {
  it("matches finite differences of the gather and accumulates into dE", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const V = 7;
    const C = 3;
    const ids = [2, 5, 2, 0, 9, 2, 6]; // 2 repeats, 9 >= V is ignored
    const T = ids.length;
    const E = Float64Array.from(uniformArray(rand, V * C, -1, 1));
    const g = Float64Array.from(uniformArray(rand, T * C, -1, 1));
    const loss = () => embeddingRef(ids, E, V, C).reduce((s, v, i) => s + v * (g[i] as number), 0);
    const h = 1e-5;
    const numeric = Array.from(E, (_, i) => {
      const keep = E[i] as number;
      E[i] = keep + h;
      const plus = loss();
      E[i] = keep - h;
      const minus = loss();
      E[i] = keep;
      return (plus - minus) / (2 * h);
    });
    const dE = embeddingBackwardRef(ids, g, V, C);
    assertClose(dE, numeric, { atol: 1e-9, rtol: 1e-8 }, `embedding backward seed=${seed}`);

    const prior = Float64Array.from(uniformArray(rand, V * C, -1, 1));
    const acc = embeddingBackwardRef(ids, g, V, C, Float64Array.from(prior));
    assertClose(acc, prior.map((p, i) => p + (dE[i] as number)), { atol: 1e-15, rtol: 1e-15 }, `accumulate seed=${seed}`);
    expect(Array.from(dE.subarray(C, 2 * C))).toEqual([0, 0, 0]); // row 1 never appears
  });
});
