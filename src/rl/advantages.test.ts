// Checks group-normalised advantages and their broadcast to policy tokens (Node, no GPU).
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { GroupSizeError, groupAdvantages, tokenAdvantages } from "./advantages";

describe("groupAdvantages", () => {
  it("is exactly 0 for a group whose rewards are all equal", () => {
    for (const r of [[1, 1, 1, 1], [-1, -1], [0.1, 0.1, 0.1], [0.7, 0.7, 0.7, 0.7, 0.7]]) {
      expect(Array.from(groupAdvantages(r))).toEqual(r.map(() => 0));
    }
  });

  it("divides by the sample std (G − 1) plus eps: ±1 rewards in a pair give ±1/√2", () => {
    const a = groupAdvantages([1, -1]);
    expect(a[0]).toBeCloseTo(1 / (Math.SQRT2 + 1e-6), 12);
    expect(a[1]).toBeCloseTo(-1 / (Math.SQRT2 + 1e-6), 12);
    // [1, 0, 0, 0]: mean 1/4, sample variance (9/16 + 3/16)/3 = 1/4, std 1/2.
    const b = groupAdvantages([1, 0, 0, 0], 0);
    expect(Array.from(b)).toEqual([1.5, -0.5, -0.5, -0.5]);
  });

  it("has mean 0 and sample std ≈ 1 on random groups, ordered as the rewards", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let k = 0; k < 20; k++) {
      const G = 2 + Math.floor(rand() * 15);
      const rewards = Array.from({ length: G }, () => (rand() < 0.5 ? -1 : 1) + 0.3 * rand());
      const a = groupAdvantages(rewards, 0);
      const mean = a.reduce((s, x) => s + x, 0) / G;
      const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / (G - 1));
      expect(Math.abs(mean), `seed ${seed}`).toBeLessThan(1e-12);
      expect(sd, `seed ${seed}`).toBeCloseTo(1, 10);
      for (let i = 1; i < G; i++) expect(Math.sign(a[i]! - a[0]!), `seed ${seed}`).toBe(Math.sign(rewards[i]! - rewards[0]!));
    }
  });

  it("refuses a group of one", () => {
    expect(() => groupAdvantages([1])).toThrow(GroupSizeError);
  });
});

describe("tokenAdvantages", () => {
  it("puts the advantage on policy tokens only", () => {
    expect(Array.from(tokenAdvantages(0.5, new Uint8Array([0, 1, 1, 0, 1])))).toEqual([0, 0.5, 0.5, 0, 0.5]);
  });
});
