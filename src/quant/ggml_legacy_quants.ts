// Dequantizers of ggml's other 32-weight block types that K-quant GGUFs fall
// back to (llama.cpp stores a Q4_K/Q5_K tensor as Q5_0/Q5_1 when its rows are
// not whole 256-weight super-blocks, as with Qwen2.5-0.5B's 896 columns).
// Block layouts, weight j of 0..31 (h = j < 16 ? low nibble of qs[j] : high nibble of qs[j - 16]):
//   Q4_1 (20 bytes): f16 d, f16 m, 16 bytes qs.               y = h·d + m
//   Q5_0 (22 bytes): f16 d, u32 qh, 16 bytes qs; q = h | (bit j of qh) << 4.  y = (q − 16)·d
//   Q5_1 (24 bytes): f16 d, f16 m, u32 qh, 16 bytes qs.       y = q·d + m
import { f16BitsToF32 } from "./f16";

export const Q4_1_BYTES = 20;
export const Q5_0_BYTES = 22;
export const Q5_1_BYTES = 24;

function f16At(b: Uint8Array, at: number): number {
  return f16BitsToF32((b[at] as number) | ((b[at + 1] as number) << 8));
}

function u32At(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24)) >>> 0;
}

function blocksOf(kind: string, blockBytes: number, bytes: Uint8Array, out: Float32Array): number {
  if (out.length % 32 !== 0) throw new Error(`${kind}: ${out.length} weights are not whole blocks of 32`);
  const blocks = out.length / 32;
  if (bytes.length < blocks * blockBytes) throw new Error(`${kind}: ${blocks} blocks need ${blocks * blockBytes} bytes, got ${bytes.length}`);
  return blocks;
}

/** Q4_1 blocks -> f32. bytes: (n/32)·20; out: (n). */
export function dequantizeQ4_1(bytes: Uint8Array, out: Float32Array): void {
  const blocks = blocksOf("Q4_1", Q4_1_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q4_1_BYTES;
    const d = f16At(bytes, at);
    const m = f16At(bytes, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 4 + j] as number;
      out[i * 32 + j] = (q & 0xf) * d + m;
      out[i * 32 + j + 16] = (q >> 4) * d + m;
    }
  }
}

/** Q5_0 blocks -> f32. bytes: (n/32)·22; out: (n). */
export function dequantizeQ5_0(bytes: Uint8Array, out: Float32Array): void {
  const blocks = blocksOf("Q5_0", Q5_0_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q5_0_BYTES;
    const d = f16At(bytes, at);
    const qh = u32At(bytes, at + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 6 + j] as number;
      const lo = (q & 0xf) | (((qh >>> j) & 1) << 4);
      const hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
      out[i * 32 + j] = (lo - 16) * d;
      out[i * 32 + j + 16] = (hi - 16) * d;
    }
  }
}

/** Q5_1 blocks -> f32. bytes: (n/32)·24; out: (n). */
export function dequantizeQ5_1(bytes: Uint8Array, out: Float32Array): void {
  const blocks = blocksOf("Q5_1", Q5_1_BYTES, bytes, out);
  for (let i = 0; i < blocks; i++) {
    const at = i * Q5_1_BYTES;
    const d = f16At(bytes, at);
    const m = f16At(bytes, at + 2);
    const qh = u32At(bytes, at + 4);
    for (let j = 0; j < 16; j++) {
      const q = bytes[at + 8 + j] as number;
      const lo = (q & 0xf) | (((qh >>> j) & 1) << 4);
      const hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
      out[i * 32 + j] = lo * d + m;
      out[i * 32 + j + 16] = hi * d + m;
    }
  }
}
