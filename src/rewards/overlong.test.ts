// Checks DAPO's overlong shaping at the edges of the buffer, with no buffer, on seeded random lengths, and its errors. Node, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { OverlongConfigError, overlongPenalty } from "./overlong";

describe("overlongPenalty", () => {
  it("is 0 up to L_max − L_cache, linear inside the buffer, −1 at and beyond L_max", () => {
    // L_max = 100, L_cache = 20: the buffer is (80, 100].
    expect(overlongPenalty(0, 100, 20)).toBe(0);
    expect(overlongPenalty(80, 100, 20)).toBe(0);
    expect(overlongPenalty(81, 100, 20)).toBeCloseTo(-0.05, 12);
    expect(overlongPenalty(90, 100, 20)).toBeCloseTo(-0.5, 12);
    expect(overlongPenalty(99, 100, 20)).toBeCloseTo(-0.95, 12);
    expect(overlongPenalty(100, 100, 20)).toBe(-1);
    expect(overlongPenalty(101, 100, 20)).toBe(-1);
    expect(overlongPenalty(10_000, 100, 20)).toBe(-1);
  });

  it("is a hard cut without a buffer", () => {
    expect(overlongPenalty(100, 100, 0)).toBe(0);
    expect(overlongPenalty(101, 100, 0)).toBe(-1);
  });

  it("stays in [−1, 0] and never rises with length, on seeded random budgets", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 200; i++) {
      const max = 1 + Math.floor(rand() * 4096);
      const cache = Math.floor(rand() * (max + 1));
      let prev = 0;
      const lengths = [0, max - cache, max - cache + 1, Math.floor(max - cache / 2), max, max + 1, Math.floor(rand() * 2 * max)];
      for (const L of lengths.sort((a, b) => a - b)) {
        const p = overlongPenalty(L, max, cache);
        expect(p, `seed ${seed}: L=${L} max=${max} cache=${cache}`).toBeLessThanOrEqual(prev);
        expect(p, `seed ${seed}`).toBeGreaterThanOrEqual(-1);
        prev = p;
      }
      expect(overlongPenalty(max, max, cache), `seed ${seed}: max=${max} cache=${cache}`).toBe(cache === 0 ? 0 : -1);
    }
  });

  it("refuses a buffer larger than the budget, a negative one, and non-finite counts", () => {
    expect(() => overlongPenalty(10, 100, 101)).toThrow(OverlongConfigError);
    expect(() => overlongPenalty(10, 100, -1)).toThrow(/between 0 and the response budget/);
    expect(() => overlongPenalty(Number.NaN, 100, 20)).toThrow(OverlongConfigError);
    expect(() => overlongPenalty(-1, 100, 20)).toThrow(OverlongConfigError);
  });
});
