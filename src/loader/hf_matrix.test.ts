// Checks that building a WeightMatrix from row chunks equals quantizing the whole matrix, in every format and for odd block counts. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { quantize } from "../quant/weights";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { WeightMatrixAssembler } from "./hf_matrix";

describe("WeightMatrixAssembler", () => {
  const seed = freshSeed();
  for (const format of ["f32", "q8_0", "q4_0"] as const) {
    it(`equals quantize() of the whole for random row chunks in ${format} (seed ${seed})`, () => {
      const rand = mulberry32(seed);
      for (const [rows, cols] of [[13, 96], [7, 32], [1, 64], [10, 160]] as const) {
        const w = uniformArray(rand, rows * cols, -2, 2);
        const m = new WeightMatrixAssembler(format, rows, cols);
        let r = 0;
        while (r < rows) {
          const n = Math.min(rows - r, 1 + Math.floor(rand() * 3));
          m.add(w.slice(r * cols, (r + n) * cols));
          r += n;
        }
        expect(m.finish(), `${format} (${rows}, ${cols})`).toEqual(quantize(w, rows, cols, format));
      }
    });
  }

  it("refuses partial rows, too many rows, and an unfinished matrix", () => {
    const m = new WeightMatrixAssembler("q8_0", 2, 32);
    expect(() => m.add(new Float32Array(20))).toThrow(/not whole rows of 32/);
    m.add(new Float32Array(32));
    expect(() => m.finish()).toThrow(/only 1 of 2 rows/);
    expect(() => m.add(new Float32Array(64))).toThrow(/1 rows filled/);
    expect(() => new WeightMatrixAssembler("q4_0", 2, 40)).toThrow(/multiples of 32/);
  });
});
