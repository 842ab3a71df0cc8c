// Checks the generation attention references (Node, no GPU): a cache filled row by row and attended at positions 0..T-1 gives the training attention reference; RoPE at explicit positions equals the training RoPE when positions are the row indices.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { attentionForwardRef } from "./attention";
import { attentionCachedRef, kvCacheWriteRef } from "./attention_cached";
import { assertClose } from "./compare";
import { ropeForwardRef } from "./rope";
import { ropePositionsRef } from "./rope_positions";

describe("attentionCachedRef", () => {
  it("equals causal attention over the sequence when the slot holds its keys and values", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [T, NH, NKV, HD, S, L] = [6, 4, 2, 8, 3, 9];
    const W = NKV * HD;
    const q = uniformArray(rand, T * NH * HD);
    const k = uniformArray(rand, T * W);
    const v = uniformArray(rand, T * W);
    const slot = 1;
    const positions = Array.from({ length: T }, (_, i) => i);
    const cache = kvCacheWriteRef(k, v, uniformArray(rand, S * L * W), uniformArray(rand, S * L * W), positions.map(() => slot), positions, { W, L });
    const got = attentionCachedRef(q, cache.kc, cache.vc, positions.map(() => slot), positions, { NH, NKV, HD, L });
    const want = attentionForwardRef(q, k, v, [T], { B: 1, Tmax: T, NH, NKV, HD }).o;
    assertClose(got, want, { atol: 1e-12, rtol: 1e-12 }, `seed=${seed}`);
    // Rows attend to their own slot: another slot's (random) contents change the answer.
    const other = attentionCachedRef(q, cache.kc, cache.vc, positions.map(() => 0), positions, { NH, NKV, HD, L });
    expect(Math.max(...other.map((x, i) => Math.abs(x - want[i]!)))).toBeGreaterThan(1e-3);
  });
});

describe("ropePositionsRef", () => {
  it("equals the training RoPE when row r sits at position r, and differs when shifted", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [T, heads, headDim, theta] = [9, 3, 8, 10000];
    const x = uniformArray(rand, T * heads * headDim);
    const positions = Array.from({ length: T }, (_, i) => i);
    const want = ropeForwardRef(x, { B: 1, Tmax: T, heads, headDim, theta });
    assertClose(ropePositionsRef(x, positions, { heads, headDim, theta }), want, { atol: 1e-14, rtol: 1e-14 }, `seed=${seed}`);
    const shifted = ropePositionsRef(x, positions.map((p) => p + 1), { heads, headDim, theta });
    expect(Math.max(...shifted.map((y, i) => Math.abs(y - want[i]!)))).toBeGreaterThan(1e-2);
  });
});
