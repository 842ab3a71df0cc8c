// Checks that grid1d covers every item without exceeding the per-dimension limit. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { grid1d } from "./grid";

describe("grid1d", () => {
  it("uses one dimension while it suffices", () => {
    expect(grid1d(1000, 256, 65535)).toEqual([4, 1]);
    expect(grid1d(0, 256, 65535)).toEqual([1, 1]);
  });
  it("spills into y, covering every item and staying within the limit", () => {
    for (const [n, per, max] of [[99, 1, 10], [100, 1, 10], [800, 3, 17], [65536 * 256 + 5, 256, 65535]] as const) {
      const [x, y] = grid1d(n, per, max);
      expect(x).toBeLessThanOrEqual(max);
      expect(y).toBeLessThanOrEqual(max);
      expect(x * y * per).toBeGreaterThanOrEqual(n);
    }
  });
  it("refuses a problem no grid can cover", () => {
    expect(() => grid1d(1000, 1, 10)).toThrow(RangeError);
  });
});
