// Checks the float64 references of axpy, column sum and fill on hand-computed cases. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { axpyRef, columnSumRef, fillRef } from "./elementwise";

describe("elementwise references", () => {
  it("axpy adds alpha · x to y", () => {
    expect(Array.from(axpyRef(0.5, [2, -4, 6], [1, 1, 1]))).toEqual([2, -1, 4]);
    expect(() => axpyRef(1, [1], [1, 2])).toThrow(/lengths differ/);
  });

  it("column sum adds each column's rows, optionally onto a prior value", () => {
    const dy = [1, 2, 3, 10, 20, 30]; // (M=2, N=3)
    expect(Array.from(columnSumRef(dy, 2, 3))).toEqual([11, 22, 33]);
    expect(Array.from(columnSumRef(dy, 2, 3, [1, 1, -33]))).toEqual([12, 23, 0]);
    expect(Array.from(columnSumRef([], 0, 2))).toEqual([0, 0]);
    expect(() => columnSumRef(dy, 3, 3)).toThrow(/M·N/);
  });

  it("fill repeats the value", () => {
    expect(Array.from(fillRef(3, -1.5))).toEqual([-1.5, -1.5, -1.5]);
    expect(fillRef(0, 1).length).toBe(0);
  });
});
