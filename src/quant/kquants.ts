// Dequantizers of ggml's K-quants (super-blocks of 256 weights) to f32, as
// ggml's reference dequantize_row_q{4,5,6}_K define them. Block layouts:
//   Q4_K (144 bytes): f16 d, f16 dmin, 12 bytes of 6-bit scales and mins
//     (8 sub-blocks of 32), 128 bytes of nibbles.
//     y = d·sc[j]·q − dmin·m[j], q in 0..15.
//   Q5_K (176 bytes): f16 d, f16 dmin, 12 scale bytes, 32 bytes of fifth bits
//     (qh), 128 bytes of low nibbles. y = d·sc[j]·q − dmin·m[j], q in 0..31.
//   Q6_K (210 bytes): 128 bytes low nibbles (ql), 64 bytes of 2-bit highs (qh),
//     16 int8 scales (sub-blocks of 16), f16 d. y = d·sc[k]·(q − 32), q in 0..63.
// Every product here is exact in f32 (an f16 times small integers), so the only
// rounding is the final subtraction, as in ggml.
import { f16BitsToF32 } from "./f16";

export const QK_K = 256;
export const Q4_K_BYTES = 144;
export const Q5_K_BYTES = 176;
export const Q6_K_BYTES = 210;

function f16At(b: Uint8Array, at: number): number {
  return f16BitsToF32((b[at] as number) | ((b[at + 1] as number) << 8));
}

/**
 * The 6-bit scale and min of sub-block j (0..7) from a K-quant's 12 packed
 * bytes at `at`: sub-blocks 0-3 keep theirs in the low 6 bits of bytes j and
 * j+4; sub-blocks 4-7 split theirs between a nibble of byte j+4 and the top
 * two bits of bytes j-4 (scale) and j (min).
 */
export function scaleMinK4(b: Uint8Array, at: number, j: number): [number, number] {
  if (j < 4) return [(b[at + j] as number) & 63, (b[at + j + 4] as number) & 63];
  const hi = b[at + j + 4] as number;
  return [(hi & 0xf) | (((b[at + j - 4] as number) >> 6) << 4), (hi >> 4) | (((b[at + j] as number) >> 6) << 4)];
}

function checkSizes(kind: string, blockBytes: number, bytes: Uint8Array, out: Float32Array): number {
  if (out.length % QK_K !== 0) throw new Error(`${kind}: ${out.length} weights are not whole super-blocks of ${QK_K}`);
  const blocks = out.length / QK_K;
  if (bytes.length < blocks * blockBytes) {
    throw new Error(`${kind}: ${blocks} super-blocks need ${blocks * blockBytes} bytes, got ${bytes.length}`);
  }
  return blocks;
}

/** Q4_K blocks -> f32. bytes: (n/256)·144 bytes; out: (n) written in place. */
export function dequantizeQ4K(bytes: Uint8Array, out: Float32Array): void {
  const blocks = checkSizes("Q4_K", Q4_K_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q4_K_BYTES;
    const d = f16At(bytes, at);
    const dmin = f16At(bytes, at + 2);
    let q = at + 16;
    let y = i * QK_K;
    for (let j = 0; j < 8; j += 2) {
      const [sc1, m1] = scaleMinK4(bytes, at + 4, j);
      const [sc2, m2] = scaleMinK4(bytes, at + 4, j + 1);
      const d1 = d * sc1;
      const min1 = dmin * m1;
      const d2 = d * sc2;
      const min2 = dmin * m2;
      for (let l = 0; l < 32; l++) out[y + l] = d1 * ((bytes[q + l] as number) & 0xf) - min1;
      for (let l = 0; l < 32; l++) out[y + 32 + l] = d2 * ((bytes[q + l] as number) >> 4) - min2;
      q += 32;
      y += 64;
    }
  }
}

/** Q5_K blocks -> f32. bytes: (n/256)·176 bytes; out: (n) written in place. */
export function dequantizeQ5K(bytes: Uint8Array, out: Float32Array): void {
  const blocks = checkSizes("Q5_K", Q5_K_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q5_K_BYTES;
    const d = f16At(bytes, at);
    const dmin = f16At(bytes, at + 2);
    const qh = at + 16;
    let ql = at + 48;
    let y = i * QK_K;
    let u1 = 1;
    let u2 = 2;
    for (let j = 0; j < 8; j += 2) {
      const [sc1, m1] = scaleMinK4(bytes, at + 4, j);
      const [sc2, m2] = scaleMinK4(bytes, at + 4, j + 1);
      const d1 = d * sc1;
      const min1 = dmin * m1;
      const d2 = d * sc2;
      const min2 = dmin * m2;
      for (let l = 0; l < 32; l++) {
        const high = (bytes[qh + l] as number) & u1 ? 16 : 0;
        out[y + l] = d1 * (((bytes[ql + l] as number) & 0xf) + high) - min1;
      }
      for (let l = 0; l < 32; l++) {
        const high = (bytes[qh + l] as number) & u2 ? 16 : 0;
        out[y + 32 + l] = d2 * (((bytes[ql + l] as number) >> 4) + high) - min2;
      }
      ql += 32;
      y += 64;
      u1 <<= 2;
      u2 <<= 2;
    }
  }
}

/** Q6_K blocks -> f32. bytes: (n/256)·210 bytes; out: (n) written in place. */
export function dequantizeQ6K(bytes: Uint8Array, out: Float32Array): void {
  const blocks = checkSizes("Q6_K", Q6_K_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q6_K_BYTES;
    const d = f16At(bytes, at + 208);
    let ql = at;
    let qh = at + 128;
    let sc = at + 192;
    let y = i * QK_K;
    for (let half = 0; half < 2; half++) {
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const lo = bytes[ql + l] as number;
        const lo32 = bytes[ql + l + 32] as number;
        const h = bytes[qh + l] as number;
        const q1 = ((lo & 0xf) | ((h & 3) << 4)) - 32;
        const q2 = ((lo32 & 0xf) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((lo >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((lo32 >> 4) | (((h >> 6) & 3) << 4)) - 32;
        out[y + l] = d * int8(bytes[sc + is]) * q1;
        out[y + l + 32] = d * int8(bytes[sc + is + 2]) * q2;
        out[y + l + 64] = d * int8(bytes[sc + is + 4]) * q3;
        out[y + l + 96] = d * int8(bytes[sc + is + 6]) * q4;
      }
      y += 128;
      ql += 64;
      qh += 32;
      sc += 8;
    }
  }
}

function int8(b: number | undefined): number {
  return ((b as number) << 24) >> 24;
}
