// Test helpers for K-quants: packers that build Q4_K / Q5_K / Q6_K super-blocks
// from chosen integer codes and scales, written weight by weight from the
// format's definition (the inverse of what the dequantizers read, kept
// independent of their loop structure), and simple reference quantizers
// (f32 -> blocks) that bound the error by half a step. Not ggml's optimizing
// quantizers: only for tests and test fixtures.
import { f16BitsToF32, f32ToF16Bits } from "./f16";
import { Q4_K_BYTES, Q5_K_BYTES, Q6_K_BYTES, QK_K } from "./kquants";

/** Codes of one Q4_K/Q5_K super-block: 8 sub-blocks of 32 with 6-bit scales and mins. */
export type KBlockCodes = { dBits: number; dminBits: number; scales: number[]; mins: number[]; q: number[] };
/** Codes of one Q6_K super-block: 16 sub-blocks of 16 with int8 scales, q in 0..63 (value q − 32). */
export type Q6BlockCodes = { dBits: number; scales: number[]; q: number[] };

function putF16(b: Uint8Array, at: number, bits: number): void {
  b[at] = bits & 0xff;
  b[at + 1] = bits >> 8;
}

/** Packs 8 six-bit scales and mins into the 12 bytes at `at`, per the definition of sub-block j's fields. */
function packScales6(b: Uint8Array, at: number, scales: number[], mins: number[]): void {
  for (let j = 0; j < 8; j++) {
    const sc = scales[j] as number;
    const m = mins[j] as number;
    if (j < 4) {
      b[at + j] = (b[at + j] as number) | (sc & 63);
      b[at + j + 4] = (b[at + j + 4] as number) | (m & 63);
    } else {
      b[at + j + 4] = (sc & 15) | ((m & 15) << 4);
      b[at + j - 4] = (b[at + j - 4] as number) | ((sc >> 4) << 6);
      b[at + j] = (b[at + j] as number) | ((m >> 4) << 6);
    }
  }
}

/** One Q4_K super-block (144 bytes): weight i is in sub-block i>>5 and byte 32·(i>>6) + (i&31), low nibble for even sub-blocks. */
export function packQ4K(c: KBlockCodes): Uint8Array {
  const b = new Uint8Array(Q4_K_BYTES);
  putF16(b, 0, c.dBits);
  putF16(b, 2, c.dminBits);
  packScales6(b, 4, c.scales, c.mins);
  for (let i = 0; i < QK_K; i++) {
    const j = i >> 5;
    const at = 16 + 32 * (j >> 1) + (i & 31);
    b[at] = (b[at] as number) | (((c.q[i] as number) & 15) << (j & 1 ? 4 : 0));
  }
  return b;
}

/** One Q5_K super-block (176 bytes): the low 4 bits as in Q4_K, the fifth bit of weight i in bit (i>>5) of qh[i&31]. */
export function packQ5K(c: KBlockCodes): Uint8Array {
  const b = new Uint8Array(Q5_K_BYTES);
  putF16(b, 0, c.dBits);
  putF16(b, 2, c.dminBits);
  packScales6(b, 4, c.scales, c.mins);
  for (let i = 0; i < QK_K; i++) {
    const j = i >> 5;
    const q = c.q[i] as number;
    const at = 48 + 32 * (j >> 1) + (i & 31);
    b[at] = (b[at] as number) | ((q & 15) << (j & 1 ? 4 : 0));
    b[16 + (i & 31)] = (b[16 + (i & 31)] as number) | ((q >> 4) << j);
  }
  return b;
}

/**
 * One Q6_K super-block (210 bytes). Weight i = 128·n + 32·g + l: low nibble in
 * ql[64·n + l + 32·(g&1)] (high half of the byte when g ≥ 2), top two bits at
 * bit 2g of qh[32·n + l], scale index i>>4.
 */
export function packQ6K(c: Q6BlockCodes): Uint8Array {
  const b = new Uint8Array(Q6_K_BYTES);
  for (let i = 0; i < QK_K; i++) {
    const q = c.q[i] as number;
    const n = i >> 7;
    const g = (i >> 5) & 3;
    const l = i & 31;
    const lo = 64 * n + l + 32 * (g & 1);
    b[lo] = (b[lo] as number) | ((q & 15) << (g >= 2 ? 4 : 0));
    const hi = 128 + 32 * n + l;
    b[hi] = (b[hi] as number) | ((q >> 4) << (2 * g));
  }
  for (let k = 0; k < 16; k++) b[192 + k] = (c.scales[k] as number) & 0xff;
  putF16(b, 208, c.dBits);
  return b;
}

/** An f16 at least as large as x >= 0 (so a scale derived from it never needs a code past its maximum). */
function f16AtLeast(x: number): number {
  let bits = f32ToF16Bits(x);
  if (f16BitsToF32(bits) < x) bits += 1;
  return bits;
}

/** Codes for Q4_K (levels 15) or Q5_K (levels 31) of 256 weights: each weight within half a step d·sc[j] of its value. */
export function quantizeKBlockCodes(x: ArrayLike<number>, levels: 15 | 31): KBlockCodes {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let j = 0; j < 8; j++) {
    let a = 0;
    let b = 0;
    for (let l = 0; l < 32; l++) {
      const v = x[32 * j + l] as number;
      a = Math.min(a, v);
      b = Math.max(b, v);
    }
    lo.push(a); // <= 0: the min subtracted is never negative, as in ggml
    hi.push(b);
  }
  const dminBits = f16AtLeast(Math.max(...lo.map((v) => -v)) / 63);
  const dmin = f16BitsToF32(dminBits);
  const mins = lo.map((v) => (dmin ? Math.min(63, Math.ceil(-v / dmin)) : 0));
  const spans = hi.map((v, j) => v + dmin * (mins[j] as number));
  const dBits = f16AtLeast(Math.max(...spans) / levels / 63);
  const d = f16BitsToF32(dBits);
  const scales = spans.map((s) => (d ? Math.min(63, Math.ceil(s / levels / d)) : 0));
  const q: number[] = [];
  for (let i = 0; i < QK_K; i++) {
    const j = i >> 5;
    const step = d * (scales[j] as number);
    const code = step ? Math.round(((x[i] as number) + dmin * (mins[j] as number)) / step) : 0;
    q.push(Math.max(0, Math.min(levels, code)));
  }
  return { dBits, dminBits, scales, mins, q };
}

/** Codes for Q6_K of 256 weights: each weight within half a step d·sc[k] of its value. */
export function quantizeQ6KBlockCodes(x: ArrayLike<number>): Q6BlockCodes {
  const amax: number[] = [];
  for (let k = 0; k < 16; k++) {
    let a = 0;
    for (let l = 0; l < 16; l++) a = Math.max(a, Math.abs(x[16 * k + l] as number));
    amax.push(a);
  }
  const dBits = f16AtLeast(Math.max(...amax) / 31 / 127);
  const d = f16BitsToF32(dBits);
  const scales = amax.map((a) => (d ? Math.min(127, Math.ceil(a / 31 / d)) : 0));
  const q: number[] = [];
  for (let i = 0; i < QK_K; i++) {
    const step = d * (scales[i >> 4] as number);
    const code = step ? Math.round((x[i] as number) / step) : 0;
    q.push(Math.max(-32, Math.min(31, code)) + 32);
  }
  return { dBits, scales, q };
}

/** A whole K-quant tensor's bytes from f32 values (length a multiple of 256), with the reference quantizers above. */
export function quantizeKTensor(x: ArrayLike<number>, kind: "q4_k" | "q5_k" | "q6_k"): Uint8Array {
  const blocks = x.length / QK_K;
  const size = kind === "q4_k" ? Q4_K_BYTES : kind === "q5_k" ? Q5_K_BYTES : Q6_K_BYTES;
  const out = new Uint8Array(blocks * size);
  for (let i = 0; i < blocks; i++) {
    const part = Array.prototype.slice.call(x, i * QK_K, (i + 1) * QK_K) as number[];
    const block =
      kind === "q4_k"
        ? packQ4K(quantizeKBlockCodes(part, 15))
        : kind === "q5_k"
          ? packQ5K(quantizeKBlockCodes(part, 31))
          : packQ6K(quantizeQ6KBlockCodes(part));
    out.set(block, i * size);
  }
  return out;
}
