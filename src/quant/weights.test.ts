// Checks f16 conversion and the Q8_0/Q4_0 quantizers: error bounds, GGUF byte round trips, bad shapes. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import { f16BitsToF32, f32ToF16Bits } from "./f16";
import { blockScale, dequantize, fromGgufBlocks, quantize, toGgufBlocks, weightBytes } from "./weights";

describe("f16", () => {
  it("round-trips every finite f16 bit pattern", () => {
    for (let h = 0; h < 0x10000; h++) {
      if (((h >> 10) & 0x1f) === 0x1f) continue;
      const back = f32ToF16Bits(f16BitsToF32(h));
      // -0 and +0 both map back to their own sign.
      expect(back).toBe(h);
    }
  });
  it("rounds to nearest, ties to even, and saturates to infinity", () => {
    expect(f16BitsToF32(f32ToF16Bits(1 + 2 ** -11))).toBe(1); // tie: to even (1.0)
    expect(f16BitsToF32(f32ToF16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9); // tie: to even (up)
    expect(f16BitsToF32(f32ToF16Bits(65520))).toBe(Number.POSITIVE_INFINITY);
    expect(f16BitsToF32(f32ToF16Bits(2 ** -25 * 1.5))).toBe(2 ** -24); // subnormal rounding
  });
});

describe("quantize", () => {
  const seed = freshSeed();
  const rand = mulberry32(seed);
  const rows = 8;
  const cols = 64;
  const w = uniformArray(rand, rows * cols, -3, 3);

  it(`keeps Q8_0 within half a step of each block's scale (seed ${seed})`, () => {
    const m = quantize(w, rows, cols, "q8_0");
    const back = dequantize(m);
    for (let i = 0; i < w.length; i++) {
      const d = blockScale(m, Math.floor(i / 32));
      expect(Math.abs((back[i] as number) - (w[i] as number))).toBeLessThanOrEqual(0.5 * d + 1e-3 * d + 1e-3);
    }
  });

  it(`keeps Q4_0 within one step of each block's scale (seed ${seed})`, () => {
    const m = quantize(w, rows, cols, "q4_0");
    const back = dequantize(m);
    for (let i = 0; i < w.length; i++) {
      const d = Math.abs(blockScale(m, Math.floor(i / 32)));
      expect(Math.abs((back[i] as number) - (w[i] as number))).toBeLessThanOrEqual(d * 1.01);
    }
    // The largest-magnitude value of a block maps to -8 * d exactly (up to the f16 scale).
    const first = Array.from(w.subarray(0, 32));
    const peak = first.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    expect(Math.abs((back[first.indexOf(peak)] as number) - peak)).toBeLessThan(Math.abs(peak) * 2e-3);
  });

  it("round-trips through GGUF block bytes", () => {
    for (const format of ["q8_0", "q4_0"] as const) {
      const m = quantize(w, rows, cols, format);
      const bytes = toGgufBlocks(m);
      expect(bytes.length).toBe((rows * cols / 32) * (format === "q8_0" ? 34 : 18));
      const again = fromGgufBlocks(bytes, rows, cols, format);
      expect(Array.from(again.data)).toEqual(Array.from(m.data));
      expect(Array.from(dequantize(again))).toEqual(Array.from(dequantize(m)));
    }
  });

  it("stores all-zero blocks as zero scale and zero values", () => {
    const m = quantize(new Float32Array(64), 2, 32, "q4_0");
    expect(Array.from(dequantize(m)).every((v) => v === 0)).toBe(true);
  });

  it("refuses shapes the formats cannot hold, saying why", () => {
    expect(() => quantize(new Float32Array(40), 2, 20, "q8_0")).toThrow(/multiples of 32/);
    expect(() => quantize(new Float32Array(10), 2, 32, "f32")).toThrow(/do not make/);
    expect(() => fromGgufBlocks(new Uint8Array(33), 1, 32, "q8_0")).toThrow(/needs 34 bytes/);
  });

  it("counts GPU bytes per format", () => {
    expect(weightBytes("f32", 4, 32)).toBe(512);
    expect(weightBytes("q8_0", 4, 32)).toBe(4 * 32 + 8);
    expect(weightBytes("q4_0", 4, 32)).toBe(4 * 16 + 8);
  });
});
