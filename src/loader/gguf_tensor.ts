// Reads one GGUF tensor's data in row chunks (at most ~32 MB a read) and turns
// it into the kernel formats: Q4_0/Q8_0 matrices keep their blocks as they
// are; F32/F16/BF16/K-quant (and Q4_1/Q5_0/Q5_1) matrices are dequantized to f32 and quantized to
// the requested format chunk by chunk; vectors become Float32Array.
import type { ByteSource } from "../io/source";
import { GGML_TYPE, LOADABLE_TYPES, type GgufTensorInfo } from "../formats/gguf";
import { bf16BitsToF32, f16BitsToF32 } from "../quant/f16";
import { dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1 } from "../quant/ggml_legacy_quants";
import { dequantizeQ4K, dequantizeQ5K, dequantizeQ6K } from "../quant/kquants";
import { dequantize, fromGgufBlocks, quantize, QK } from "../quant/weights";
import { type WeightFormat, type WeightMatrix } from "../protocol/tensors";
import { throwIfCancelled } from "./load_progress";

/** Bytes read at most per range request. */
export const CHUNK_BYTES = 32 << 20;

/** A tensor of a ggml type the engine does not load. */
export class UnsupportedTensorTypeError extends Error {
  constructor(tensor: string, typeName: string) {
    super(
      `tensor ${tensor} has type ${typeName}, which TAPO Studio cannot load; ` +
        "use a GGUF in Q4_0, Q8_0, Q4_K, Q5_K, Q6_K, F16, BF16 or F32 (Q4_1, Q5_0 and Q5_1 tensors are read too)",
    );
    this.name = "UnsupportedTensorTypeError";
  }
}

/** Throws UnsupportedTensorTypeError unless the loader can convert this tensor's type. */
export function checkLoadableType(info: GgufTensorInfo): void {
  if (!LOADABLE_TYPES.includes(info.type)) throw new UnsupportedTensorTypeError(info.name, info.typeName);
}

let f16Table: Float32Array | undefined;
function f16Lookup(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32(h);
  }
  return f16Table;
}

/** `count` values of a ggml type's raw bytes as f32 (count a whole number of the type's blocks). */
export function ggmlToF32(type: number, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case GGML_TYPE.F32:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case GGML_TYPE.F16: {
      const table = f16Lookup();
      for (let i = 0; i < count; i++) out[i] = table[view.getUint16(2 * i, true)] as number;
      return out;
    }
    case GGML_TYPE.BF16:
      for (let i = 0; i < count; i++) out[i] = bf16BitsToF32(view.getUint16(2 * i, true));
      return out;
    case GGML_TYPE.Q4_0:
    case GGML_TYPE.Q8_0:
      out.set(dequantize(fromGgufBlocks(bytes, 1, count, type === GGML_TYPE.Q8_0 ? "q8_0" : "q4_0")));
      return out;
    case GGML_TYPE.Q4_1:
      dequantizeQ4_1(bytes, out);
      return out;
    case GGML_TYPE.Q5_0:
      dequantizeQ5_0(bytes, out);
      return out;
    case GGML_TYPE.Q5_1:
      dequantizeQ5_1(bytes, out);
      return out;
    case GGML_TYPE.Q4_K:
      dequantizeQ4K(bytes, out);
      return out;
    case GGML_TYPE.Q5_K:
      dequantizeQ5K(bytes, out);
      return out;
    case GGML_TYPE.Q6_K:
      dequantizeQ6K(bytes, out);
      return out;
    default:
      throw new Error(`ggmlToF32: type ${type} is not converted here`);
  }
}

/** Collects row chunks of a (rows, cols) matrix into one WeightMatrix of a given format. */
class MatrixAssembler {
  readonly matrix: WeightMatrix;
  constructor(format: WeightFormat, rows: number, cols: number) {
    const n = rows * cols;
    const blocks = n / QK;
    const data = new Uint32Array(format === "f32" ? n : blocks * (format === "q8_0" ? 8 : 4));
    const scales = new Uint32Array(format === "f32" ? 1 : Math.max(1, Math.ceil(blocks / 2)));
    this.matrix = { format, rows, cols, data, scales };
  }
  /** Places a chunk of whole rows starting at row `first`. */
  put(chunk: WeightMatrix, first: number): void {
    const m = this.matrix;
    if (m.format === "f32") {
      m.data.set(chunk.data.subarray(0, chunk.rows * chunk.cols), first * m.cols);
      return;
    }
    const before = (first * m.cols) / QK;
    const blocks = (chunk.rows * chunk.cols) / QK;
    const words = m.format === "q8_0" ? 8 : 4;
    m.data.set(chunk.data.subarray(0, blocks * words), before * words);
    for (let b = 0; b < blocks; b++) {
      const h = ((chunk.scales[b >> 1] as number) >>> (16 * (b & 1))) & 0xffff;
      const g = before + b;
      m.scales[g >> 1] = ((m.scales[g >> 1] as number) | (h << (16 * (g & 1)))) >>> 0;
    }
  }
}

type ReadOptions = {
  signal?: AbortSignal;
  /** Called with the byte count of each range read. */
  onBytes?: (bytes: number) => void;
  /** Bytes per read at most (default CHUNK_BYTES; tests use small chunks). */
  chunkBytes?: number;
};

/** Reads rows [first, first + n) of a tensor whose rows are `rowBytes` long. */
async function readRows(src: ByteSource, info: GgufTensorInfo, rowBytes: number, first: number, n: number, o: ReadOptions) {
  throwIfCancelled(o.signal);
  const bytes = await src.read(info.offset + first * rowBytes, n * rowBytes, o.signal);
  throwIfCancelled(o.signal);
  o.onBytes?.(bytes.length);
  return bytes;
}

/**
 * A (rows, cols) matrix from a GGUF tensor with dims [cols, rows]: Q4_0/Q8_0 as
 * stored (no requantization), other loadable types dequantized and quantized
 * to `quant`. Reads at most CHUNK_BYTES at a time.
 */
export async function readGgufMatrix(
  src: ByteSource,
  info: GgufTensorInfo,
  rows: number,
  cols: number,
  quant: WeightFormat,
  o: ReadOptions = {},
): Promise<WeightMatrix> {
  checkLoadableType(info);
  const native = info.type === GGML_TYPE.Q4_0 ? "q4_0" : info.type === GGML_TYPE.Q8_0 ? "q8_0" : undefined;
  const out = new MatrixAssembler(native ?? quant, rows, cols);
  const rowBytes = info.bytes / rows;
  const step = Math.max(1, Math.floor((o.chunkBytes ?? CHUNK_BYTES) / rowBytes));
  for (let first = 0; first < rows; first += step) {
    const n = Math.min(step, rows - first);
    const bytes = await readRows(src, info, rowBytes, first, n, o);
    const chunk = native
      ? fromGgufBlocks(bytes, n, cols, native)
      : quantize(ggmlToF32(info.type, bytes, n * cols), n, cols, quant);
    out.put(chunk, first);
  }
  return out.matrix;
}

/** A 1-D GGUF tensor (norm weight, bias) as f32. */
export async function readGgufVector(src: ByteSource, info: GgufTensorInfo, o: ReadOptions = {}): Promise<Float32Array> {
  checkLoadableType(info);
  const n = info.dims[0] as number;
  const bytes = await readRows(src, info, info.bytes, 0, 1, o);
  return ggmlToF32(info.type, bytes, n);
}
