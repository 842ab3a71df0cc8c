// GGUF writer (version 3, little-endian) for tests and tools: typed metadata
// and tensors with their raw ggml bytes, laid out with general.alignment
// (default 32) between the header and each tensor's data.
import { GGUF_VALUE, ggmlTypeBlock, ggmlTypeName, type GgufTypedValue } from "./gguf_types";

/** One tensor to write: dims in ne order (dims[0] = columns), raw data in the ggml type's layout. */
export type GgufTensorData = { name: string; dims: number[]; type: number; data: Uint8Array };

/** A little-endian byte builder. */
class ByteWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private reserve(n: number): number {
    if (this.length + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }
  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  i8(v: number): void {
    const at = this.reserve(1);
    this.view.setInt8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }
  i16(v: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, true);
  }
  u64(v: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  i64(v: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, BigInt(v), true);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.reserve(pad);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function writeScalar(w: ByteWriter, type: number, value: number | bigint | boolean | string, key: string): void {
  const num = () => {
    if (typeof value !== "number") throw new Error(`writeGguf: metadata "${key}" of type ${type} needs a number, got ${typeof value}`);
    return value;
  };
  const big = () => {
    if (typeof value !== "number" && typeof value !== "bigint") {
      throw new Error(`writeGguf: metadata "${key}" of type ${type} needs a number or bigint, got ${typeof value}`);
    }
    return value;
  };
  switch (type) {
    case GGUF_VALUE.UINT8:
      return w.u8(num());
    case GGUF_VALUE.INT8:
      return w.i8(num());
    case GGUF_VALUE.UINT16:
      return w.u16(num());
    case GGUF_VALUE.INT16:
      return w.i16(num());
    case GGUF_VALUE.UINT32:
      return w.u32(num());
    case GGUF_VALUE.INT32:
      return w.i32(num());
    case GGUF_VALUE.FLOAT32:
      return w.f32(num());
    case GGUF_VALUE.FLOAT64:
      return w.f64(num());
    case GGUF_VALUE.UINT64:
      return w.u64(big());
    case GGUF_VALUE.INT64:
      return w.i64(big());
    case GGUF_VALUE.BOOL:
      if (typeof value !== "boolean") throw new Error(`writeGguf: metadata "${key}" is BOOL but got ${typeof value}`);
      return w.u8(value ? 1 : 0);
    case GGUF_VALUE.STRING:
      if (typeof value !== "string") throw new Error(`writeGguf: metadata "${key}" is STRING but got ${typeof value}`);
      return w.string(value);
    default:
      throw new Error(`writeGguf: metadata "${key}" has unknown value type ${type}`);
  }
}

function writeValue(w: ByteWriter, v: GgufTypedValue, key: string): void {
  if (v.type !== GGUF_VALUE.ARRAY) return writeScalar(w, v.type, v.value, key);
  w.u32(v.elementType);
  w.u64(v.value.length);
  if (v.elementType === GGUF_VALUE.ARRAY) {
    for (const inner of v.value as GgufTypedValue[]) writeValue(w, inner, key);
  } else {
    for (const x of v.value as (number | bigint | boolean | string)[]) writeScalar(w, v.elementType, x, key);
  }
}

/**
 * A whole GGUF v3 file in memory: header, metadata in the given order, tensor
 * infos, then each tensor's bytes at an aligned offset. Checks that each
 * tensor's data length matches its dims and type (when the type is known).
 */
export function writeGguf(metadata: [string, GgufTypedValue][], tensors: GgufTensorData[]): Uint8Array {
  const alignEntry = metadata.find(([k]) => k === "general.alignment");
  const alignment = alignEntry ? Number(alignEntry[1].value) : 32;
  const w = new ByteWriter();
  w.bytes(new Uint8Array([0x47, 0x47, 0x55, 0x46]));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    w.u32(value.type);
    writeValue(w, value, key);
  }
  let offset = 0;
  for (const t of tensors) {
    const block = ggmlTypeBlock(t.type);
    if (block) {
      const count = t.dims.reduce((a, b) => a * b, 1);
      const expected = (count / block.blockSize) * block.blockBytes;
      if (expected !== t.data.length) {
        throw new Error(
          `writeGguf: tensor "${t.name}" (${ggmlTypeName(t.type)} [${t.dims.join(", ")}]) needs ${expected} bytes, got ${t.data.length}`,
        );
      }
    }
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  w.padTo(alignment);
  for (const t of tensors) {
    w.bytes(t.data);
    w.padTo(alignment);
  }
  return w.result();
}
