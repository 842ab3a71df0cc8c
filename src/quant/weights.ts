// Frozen weight matrices in the formats the kernels read: f32, and GGUF's
// Q8_0 and Q4_0 (blocks of 32 weights along a row with one f16 scale).
//
// GGUF stores a block as bytes [f16 d][32 int8] (Q8_0, 34 bytes) or
// [f16 d][16 bytes of nibbles] (Q4_0, 18 bytes; byte j holds element j in its
// low nibble and element j+16 in its high nibble; value = (q - 8) * d). On the
// GPU the same bits are split into two planes so every read is u32-aligned:
//   data:   Q8_0 8 u32 per block (int8 x4, little-endian, element order);
//           Q4_0 4 u32 per block (the 16 GGUF bytes as they are);
//           f32  one u32 per weight (the float's bits).
//   scales: f16 scales packed two per u32, block b in half (b & 1) of word b >> 1.
// Blocks run along rows: block b of row n covers columns 32*(b % (cols/32)) + 0..31.
import type { WeightFormat, WeightMatrix } from "../protocol/tensors";
import { f16BitsToF32, f32ToF16Bits } from "./f16";
export const QK = 32;

function checkShape(format: WeightFormat, rows: number, cols: number, length: number): void {
  if (rows * cols !== length) throw new Error(`weight: ${length} values do not make a (${rows}, ${cols}) matrix`);
  if (format !== "f32" && cols % QK !== 0) {
    throw new Error(`weight: ${format} needs columns in multiples of ${QK}, got ${cols}`);
  }
}

function packScales(halves: Uint16Array): Uint32Array {
  const out = new Uint32Array(Math.max(1, Math.ceil(halves.length / 2)));
  for (let b = 0; b < halves.length; b++) out[b >> 1]! |= (halves[b] as number) << (16 * (b & 1));
  return out;
}

/** The f16 scale of block b. */
export function blockScale(m: WeightMatrix, b: number): number {
  return f16BitsToF32(((m.scales[b >> 1] as number) >>> (16 * (b & 1))) & 0xffff);
}

/** Rounds half away from zero, as C's roundf (ggml's quantizer uses it). */
function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Quantizes a row-major (rows, cols) f32 matrix, as ggml's reference quantizers do. */
export function quantize(w: ArrayLike<number>, rows: number, cols: number, format: WeightFormat): WeightMatrix {
  checkShape(format, rows, cols, w.length);
  if (format === "f32") {
    const f = Float32Array.from(w);
    return { format, rows, cols, data: new Uint32Array(f.buffer), scales: new Uint32Array(1) };
  }
  const blocks = (rows * cols) / QK;
  const halves = new Uint16Array(blocks);
  const data = new Uint32Array(blocks * (format === "q8_0" ? 8 : 4));
  const bytes = new Uint8Array(data.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    if (format === "q8_0") {
      let amax = 0;
      for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(w[base + j] as number));
      const d = amax / 127;
      const id = d ? 1 / d : 0;
      halves[b] = f32ToF16Bits(d);
      for (let j = 0; j < QK; j++) bytes[b * 32 + j] = roundAway((w[base + j] as number) * id) & 0xff;
    } else {
      let amax = 0;
      let max = 0;
      for (let j = 0; j < QK; j++) {
        const v = w[base + j] as number;
        if (Math.abs(v) > amax) {
          amax = Math.abs(v);
          max = v;
        }
      }
      const d = max / -8;
      const id = d ? 1 / d : 0;
      halves[b] = f32ToF16Bits(d);
      for (let j = 0; j < QK / 2; j++) {
        const q0 = Math.min(15, Math.trunc((w[base + j] as number) * id + 8.5));
        const q1 = Math.min(15, Math.trunc((w[base + j + 16] as number) * id + 8.5));
        bytes[b * 16 + j] = q0 | (q1 << 4);
      }
    }
  }
  return { format, rows, cols, data, scales: packScales(halves) };
}

/** The matrix's values in float64, exactly as the kernels must see them (the reference's dequantizer). */
export function dequantize(m: WeightMatrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  if (m.format === "f32") {
    const f = new Float32Array(m.data.buffer, m.data.byteOffset, m.rows * m.cols);
    out.set(f);
    return out;
  }
  const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  const blocks = (m.rows * m.cols) / QK;
  for (let b = 0; b < blocks; b++) {
    const d = blockScale(m, b);
    for (let j = 0; j < QK; j++) {
      let q: number;
      if (m.format === "q8_0") {
        q = (bytes[b * 32 + j] as number) << 24 >> 24;
      } else {
        const byte = bytes[b * 16 + (j % 16)] as number;
        q = (j < 16 ? byte & 0xf : byte >> 4) - 8;
      }
      out[b * QK + j] = q * d;
    }
  }
  return out;
}

/** Reads GGUF block bytes (Q8_0: 34 bytes a block, Q4_0: 18) into the kernel planes. */
export function fromGgufBlocks(bytes: Uint8Array, rows: number, cols: number, format: "q8_0" | "q4_0"): WeightMatrix {
  checkShape(format, rows, cols, rows * cols);
  const blocks = (rows * cols) / QK;
  const blockBytes = format === "q8_0" ? 34 : 18;
  if (bytes.length !== blocks * blockBytes) {
    throw new Error(`weight: ${format} (${rows}, ${cols}) needs ${blocks * blockBytes} bytes, got ${bytes.length}`);
  }
  const payload = blockBytes - 2;
  const halves = new Uint16Array(blocks);
  const data = new Uint32Array((blocks * payload) / 4);
  const out = new Uint8Array(data.buffer);
  for (let b = 0; b < blocks; b++) {
    const at = b * blockBytes;
    halves[b] = (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
    out.set(bytes.subarray(at + 2, at + blockBytes), b * payload);
  }
  return { format, rows, cols, data, scales: packScales(halves) };
}

/** Writes the kernel planes back as GGUF block bytes. */
export function toGgufBlocks(m: WeightMatrix): Uint8Array {
  if (m.format === "f32") throw new Error("weight: f32 has no GGUF blocks");
  const blocks = (m.rows * m.cols) / QK;
  const blockBytes = m.format === "q8_0" ? 34 : 18;
  const payload = blockBytes - 2;
  const src = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  const out = new Uint8Array(blocks * blockBytes);
  for (let b = 0; b < blocks; b++) {
    const h = ((m.scales[b >> 1] as number) >>> (16 * (b & 1))) & 0xffff;
    out[b * blockBytes] = h & 0xff;
    out[b * blockBytes + 1] = h >> 8;
    out.set(src.subarray(b * payload, (b + 1) * payload), b * blockBytes + 2);
  }
  return out;
}

/** Bytes the matrix takes on the GPU (both planes). */
export function weightBytes(format: WeightFormat, rows: number, cols: number): number {
  const n = rows * cols;
  if (format === "f32") return n * 4;
  const blocks = n / QK;
  return blocks * (format === "q8_0" ? 32 : 16) + Math.ceil(blocks / 2) * 4;
}
