// Checks the Q4_1 / Q5_0 / Q5_1 dequantizers against blocks built from chosen codes, weight by weight from the format's formula. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { f16BitsToF32, f32ToF16Bits } from "./f16";
import { dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1, Q4_1_BYTES, Q5_0_BYTES, Q5_1_BYTES } from "./ggml_legacy_quants";

type Codes = { dBits: number; mBits: number; q: number[] };

/** Packs one block: weight j's low 4 bits in qs[j % 16] (high nibble for j >= 16), its fifth bit at bit j of qh. */
function pack(c: Codes, kind: "q4_1" | "q5_0" | "q5_1"): Uint8Array {
  const size = kind === "q4_1" ? Q4_1_BYTES : kind === "q5_0" ? Q5_0_BYTES : Q5_1_BYTES;
  const b = new Uint8Array(size);
  b[0] = c.dBits & 0xff;
  b[1] = c.dBits >> 8;
  let at = 2;
  if (kind !== "q5_0") {
    b[2] = c.mBits & 0xff;
    b[3] = c.mBits >> 8;
    at = 4;
  }
  if (kind !== "q4_1") {
    let qh = 0;
    c.q.forEach((q, j) => (qh |= (q >> 4) << j));
    for (let k = 0; k < 4; k++) b[at + k] = (qh >>> (8 * k)) & 0xff;
    at += 4;
  }
  c.q.forEach((q, j) => (b[at + (j % 16)] = (b[at + (j % 16)] as number) | ((q & 15) << (j < 16 ? 0 : 4))));
  return b;
}

describe("ggml 32-weight block dequantizers", () => {
  const seed = freshSeed();
  const rand = mulberry32(seed);
  const codes = (levels: number): Codes[] =>
    Array.from({ length: 3 }, () => ({
      dBits: f32ToF16Bits(0.001 + rand() * 0.1),
      mBits: f32ToF16Bits((rand() * 2 - 1) * 0.5),
      q: Array.from({ length: 32 }, () => Math.floor(rand() * levels)),
    }));
  const run = (kind: "q4_1" | "q5_0" | "q5_1", blocks: Codes[], f: (b: Uint8Array, o: Float32Array) => void) => {
    const parts = blocks.map((c) => pack(c, kind));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.forEach((p, i) => bytes.set(p, i * p.length));
    const out = new Float32Array(32 * blocks.length);
    f(bytes, out);
    return Array.from(out);
  };

  it(`Q4_1 gives q·d + m for every weight of three blocks (seed ${seed})`, () => {
    const c = codes(16);
    const want = c.flatMap(({ dBits, mBits, q }) => q.map((x) => Math.fround(x * f16BitsToF32(dBits) + f16BitsToF32(mBits))));
    expect(run("q4_1", c, dequantizeQ4_1)).toEqual(want);
  });

  it(`Q5_0 gives (q − 16)·d with the fifth bit from qh for every weight of three blocks (seed ${seed})`, () => {
    const c = codes(32);
    const want = c.flatMap(({ dBits, q }) => q.map((x) => Math.fround((x - 16) * f16BitsToF32(dBits))));
    expect(run("q5_0", c, dequantizeQ5_0)).toEqual(want);
  });

  it(`Q5_1 gives q·d + m with the fifth bit from qh for every weight of three blocks (seed ${seed})`, () => {
    const c = codes(32);
    const want = c.flatMap(({ dBits, mBits, q }) => q.map((x) => Math.fround(x * f16BitsToF32(dBits) + f16BitsToF32(mBits))));
    expect(run("q5_1", c, dequantizeQ5_1)).toEqual(want);
  });

  it("reads weight 31's fifth bit from the top bit of qh", () => {
    const q = Array<number>(32).fill(0);
    q[31] = 31;
    const out = run("q5_0", [{ dBits: f32ToF16Bits(0.5), mBits: 0, q }], dequantizeQ5_0);
    expect(out[31]).toBe(7.5); // (31 − 16) · 0.5
    expect(out[15]).toBe(-8); // (0 − 16) · 0.5
  });
});
