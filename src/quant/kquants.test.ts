// Checks the Q4_K / Q5_K / Q6_K dequantizers against blocks built from chosen codes (value = the format's formula per weight) and a quantize-by-hand round trip. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { f16BitsToF32, f32ToF16Bits } from "./f16";
import { dequantizeQ4K, dequantizeQ5K, dequantizeQ6K, QK_K, scaleMinK4 } from "./kquants";
import {
  packQ4K,
  packQ5K,
  packQ6K,
  quantizeKBlockCodes,
  quantizeKTensor,
  quantizeQ6KBlockCodes,
  type KBlockCodes,
  type Q6BlockCodes,
} from "./kquants_testing";

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function randomKCodes(rand: () => number, levels: number): KBlockCodes {
  const int = (n: number) => Math.floor(rand() * n);
  return {
    dBits: f32ToF16Bits(0.001 + rand() * 0.05),
    dminBits: f32ToF16Bits(0.001 + rand() * 0.05),
    scales: Array.from({ length: 8 }, () => int(64)),
    mins: Array.from({ length: 8 }, () => int(64)),
    q: Array.from({ length: QK_K }, () => int(levels + 1)),
  };
}

/** The format's formula: y = d·sc[j]·q − dmin·m[j], sub-block j = i / 32, rounded once to f32. */
function expectedK(c: KBlockCodes): number[] {
  const d = f16BitsToF32(c.dBits);
  const dmin = f16BitsToF32(c.dminBits);
  return c.q.map((q, i) => Math.fround(d * c.scales[Math.floor(i / 32)]! * q - dmin * c.mins[Math.floor(i / 32)]!));
}

/** y = d·sc[k]·(q − 32), sub-block k = i / 16. */
function expectedQ6(c: Q6BlockCodes): number[] {
  const d = f16BitsToF32(c.dBits);
  return c.q.map((q, i) => Math.fround(d * c.scales[Math.floor(i / 16)]! * (q - 32)));
}

describe("K-quant dequantizers on hand-built blocks", () => {
  const seed = freshSeed();

  it(`unpack the 6-bit scales and mins of all 8 sub-blocks (seed ${seed})`, () => {
    const rand = mulberry32(seed);
    const c = randomKCodes(rand, 15);
    const block = packQ4K(c);
    for (let j = 0; j < 8; j++) expect(scaleMinK4(block, 4, j), `sub-block ${j}`).toEqual([c.scales[j], c.mins[j]]);
  });

  it(`Q4_K gives d·sc·q − dmin·m for every weight of two super-blocks (seed ${seed})`, () => {
    const rand = mulberry32(seed + 1);
    const codes = [randomKCodes(rand, 15), randomKCodes(rand, 15)];
    const out = new Float32Array(2 * QK_K);
    dequantizeQ4K(concat(codes.map(packQ4K)), out);
    expect(Array.from(out)).toEqual(codes.flatMap(expectedK));
  });

  it(`Q5_K gives d·sc·q − dmin·m with 5-bit codes for every weight of two super-blocks (seed ${seed})`, () => {
    const rand = mulberry32(seed + 2);
    const codes = [randomKCodes(rand, 31), randomKCodes(rand, 31)];
    const out = new Float32Array(2 * QK_K);
    dequantizeQ5K(concat(codes.map(packQ5K)), out);
    expect(Array.from(out)).toEqual(codes.flatMap(expectedK));
  });

  it(`Q6_K gives d·sc·(q − 32) with signed scales for every weight of two super-blocks (seed ${seed})`, () => {
    const rand = mulberry32(seed + 3);
    const make = (): Q6BlockCodes => ({
      dBits: f32ToF16Bits(0.0005 + rand() * 0.01),
      scales: Array.from({ length: 16 }, () => Math.floor(rand() * 256) - 128),
      q: Array.from({ length: QK_K }, () => Math.floor(rand() * 64)),
    });
    const codes = [make(), make()];
    const out = new Float32Array(2 * QK_K);
    dequantizeQ6K(concat(codes.map(packQ6K)), out);
    expect(Array.from(out)).toEqual(codes.flatMap(expectedQ6));
  });

  it("reads a few weights exactly as worked out by hand", () => {
    // Q4_K: d = 0.5, dmin = 0.25; sub-block 5 has scale 33 and min 17 (both need the packed high bits).
    const c: KBlockCodes = {
      dBits: f32ToF16Bits(0.5),
      dminBits: f32ToF16Bits(0.25),
      scales: [1, 2, 3, 4, 5, 33, 7, 8],
      mins: [0, 0, 0, 0, 0, 17, 0, 0],
      q: Array.from({ length: QK_K }, (_, i) => (i === 160 ? 9 : i === 0 ? 15 : 0)),
    };
    const out = new Float32Array(QK_K);
    dequantizeQ4K(packQ4K(c), out);
    expect(out[0]).toBe(0.5 * 1 * 15); // 7.5
    expect(out[160]).toBe(0.5 * 33 * 9 - 0.25 * 17); // 144.25
    expect(out[161]).toBe(-0.25 * 17); // -4.25
    // Q6_K: d = 2, scale of sub-block 9 (weights 144..159) = -3, code 40 -> 2·(−3)·8 = −48.
    const q6: Q6BlockCodes = { dBits: f32ToF16Bits(2), scales: Array.from({ length: 16 }, (_, k) => (k === 9 ? -3 : 1)), q: Array(QK_K).fill(32) };
    q6.q[150] = 40;
    q6.q[255] = 63;
    const out6 = new Float32Array(QK_K);
    dequantizeQ6K(packQ6K(q6), out6);
    expect(out6[150]).toBe(-48);
    expect(out6[255]).toBe(2 * 1 * 31);
    expect(out6[0]).toBe(0);
  });

  it("refuses a buffer too short for its super-blocks", () => {
    expect(() => dequantizeQ4K(new Uint8Array(143), new Float32Array(QK_K))).toThrow(/1 super-blocks need 144 bytes, got 143/);
    expect(() => dequantizeQ6K(new Uint8Array(210), new Float32Array(100))).toThrow(/not whole super-blocks/);
  });
});

describe("K-quant round trip through reference quantizers", () => {
  const seed = freshSeed();
  const rand = mulberry32(seed);
  const n = 3 * QK_K;
  const x = Float32Array.from({ length: n }, (_, i) => (rand() * 2 - 1) * (i < QK_K ? 0.05 : 1.5));

  for (const [kind, dequant, levels] of [
    ["q4_k", dequantizeQ4K, 15],
    ["q5_k", dequantizeQ5K, 31],
  ] as const) {
    it(`${kind}: every weight within half a step of its value (seed ${seed})`, () => {
      const bytes = quantizeKTensor(x, kind);
      const out = new Float32Array(n);
      dequant(bytes, out);
      for (let b = 0; b < 3; b++) {
        const codes = quantizeKBlockCodes(x.subarray(b * QK_K, (b + 1) * QK_K), levels);
        const d = f16BitsToF32(codes.dBits);
        for (let i = 0; i < QK_K; i++) {
          const step = d * codes.scales[i >> 5]!;
          const k = b * QK_K + i;
          expect(Math.abs(out[k]! - x[k]!), `weight ${k}`).toBeLessThanOrEqual(0.5 * step * (1 + 1e-6) + 1e-6);
        }
      }
      // and the steps are small: a 4-bit (5-bit) grid over each sub-block's range
      const maxErr = Math.max(...Array.from(out, (v, k) => Math.abs(v - x[k]!)));
      expect(maxErr).toBeLessThan(kind === "q4_k" ? 0.25 : 0.12);
    });
  }

  it(`q6_k: every weight within half a step of its value (seed ${seed})`, () => {
    const bytes = quantizeKTensor(x, "q6_k");
    const out = new Float32Array(n);
    dequantizeQ6K(bytes, out);
    for (let b = 0; b < 3; b++) {
      const codes = quantizeQ6KBlockCodes(x.subarray(b * QK_K, (b + 1) * QK_K));
      const d = f16BitsToF32(codes.dBits);
      for (let i = 0; i < QK_K; i++) {
        const k = b * QK_K + i;
        const step = d * codes.scales[i >> 4]!;
        expect(Math.abs(out[k]! - x[k]!), `weight ${k}`).toBeLessThanOrEqual(0.5 * step * (1 + 1e-6) + 1e-6);
      }
    }
    const maxErr = Math.max(...Array.from(out, (v, k) => Math.abs(v - x[k]!)));
    expect(maxErr).toBeLessThan(0.03);
  });
});
