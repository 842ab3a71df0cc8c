// safetensors element types: their sizes, and conversion of little-endian
// F32 / F16 / BF16 bytes to and from f32 (the three weight types the engine reads).
import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from "../quant/f16";

/** Bytes per element of every fixed-width dtype in the safetensors specification. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The dtypes weights may be stored in. */
export type FloatDtype = "F32" | "F16" | "BF16";
export const FLOAT_DTYPES: readonly FloatDtype[] = ["F32", "F16", "BF16"];

export function isFloatDtype(dtype: string): dtype is FloatDtype {
  return (FLOAT_DTYPES as readonly string[]).includes(dtype);
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let f16Table: Float32Array | undefined;

/** The value of every f16 bit pattern, built once (a lookup beats decoding per element). */
function f16Values(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32(h);
  }
  return f16Table;
}

/** An aligned copy of bytes when a typed-array view of `align`-byte elements cannot start where they are. */
function aligned(bytes: Uint8Array, align: number): Uint8Array {
  return bytes.byteOffset % align === 0 ? bytes : bytes.slice();
}

/** Little-endian elements (n = bytes.length / size) -> f32; BF16 exact, F16 exact (every f16 is an f32). */
export function decodeToF32(bytes: Uint8Array, dtype: FloatDtype): Float32Array {
  const size = DTYPE_BYTES[dtype] as number;
  const n = bytes.length / size;
  const out = new Float32Array(n);
  if (!littleEndianHost) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) {
      if (dtype === "F32") out[i] = view.getFloat32(4 * i, true);
      else if (dtype === "F16") out[i] = f16BitsToF32(view.getUint16(2 * i, true));
      else out[i] = bf16BitsToF32(view.getUint16(2 * i, true));
    }
    return out;
  }
  const src = aligned(bytes, size);
  if (dtype === "F32") {
    // Copy the bits as integers so NaN payloads survive unchanged.
    new Uint32Array(out.buffer).set(new Uint32Array(src.buffer, src.byteOffset, n));
  } else if (dtype === "F16") {
    const halves = new Uint16Array(src.buffer, src.byteOffset, n);
    const table = f16Values();
    for (let i = 0; i < n; i++) out[i] = table[halves[i] as number] as number;
  } else {
    const halves = new Uint16Array(src.buffer, src.byteOffset, n);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = (halves[i] as number) << 16;
  }
  return out;
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The bf16 bit pattern nearest to x (round to nearest, ties to even; NaN stays NaN). */
export function f32ToBf16Bits(x: number): number {
  scratch[0] = x;
  const bits = scratchBits[0] as number;
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return ((bits >>> 16) & 0x8000) | 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Values -> little-endian elements of the dtype (F32 as f32, F16 and BF16 rounded to nearest even). */
export function encodeFromF32(values: ArrayLike<number>, dtype: FloatDtype, out: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (dtype === "F32") view.setFloat32(4 * i, v, true);
    else if (dtype === "F16") view.setUint16(2 * i, f32ToF16Bits(v), true);
    else view.setUint16(2 * i, f32ToBf16Bits(v), true);
  }
}
