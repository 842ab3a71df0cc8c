// The safetensors format: reading a file's header and rows of its tensors
// (range by range, through a ByteSource), and writing small files.
//
// Layout: an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON mapping
// each tensor name to { dtype, shape, data_offsets: [begin, end] } (offsets
// relative to the first byte after the header), plus an optional
// "__metadata__" string map; then the data, row-major, little-endian.
// The header length, tensor count and each shape's rank are capped (see the
// MAX_ constants) so a crafted header is refused before it is read or walked.
import type { ByteSource } from "../io/source";
import { TruncatedFileError } from "../io/source";
import { DTYPE_BYTES, type FloatDtype, decodeToF32, encodeFromF32, isFloatDtype } from "./safetensors_dtypes";

export { DTYPE_BYTES, type FloatDtype } from "./safetensors_dtypes";

/** One tensor's entry, with absolute file offsets [begin, end). */
export type SafetensorsTensorInfo = { name: string; dtype: string; shape: number[]; begin: number; end: number };

export type SafetensorsHeader = {
  tensors: Map<string, SafetensorsTensorInfo>;
  metadata: Record<string, string>;
  /** Absolute offset of the data section (8 + N). */
  dataStart: number;
};

/** A file that is not a readable safetensors file, or a tensor the engine cannot read. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsError";
  }
}

/**
 * The reference implementation (safetensors' MAX_HEADER_SIZE) refuses headers over 100 MB; so do we, before
 * reading them. Real headers are far smaller: tens of KB for a 7B shard, a few MB for a many-expert MoE shard.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Tensors in one file. Real files hold hundreds to a few thousand; one unsharded file of a 61-layer, 256-expert
 * MoE with per-expert weights and scales would hold ~94k. The cap leaves room above that.
 */
export const MAX_TENSORS = 1 << 18;

/** Dimensions of one tensor's shape. Real checkpoints go up to 5 (Conv3d patch embeddings of vision towers). */
export const MAX_SHAPE_DIMS = 16;

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function entryInfo(file: string, name: string, raw: unknown, dataStart: number, size: number): SafetensorsTensorInfo {
  const bad = (what: string) =>
    new SafetensorsError(`${file}: the header entry of tensor "${name}" ${what}: the file is damaged or not safetensors`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("is not an object");
  const r = raw as Record<string, unknown>;
  if (typeof r.dtype !== "string") throw bad("has no dtype");
  const dtype = r.dtype;
  const elementBytes = DTYPE_BYTES[dtype];
  if (elementBytes === undefined) {
    throw new SafetensorsError(
      `unknown dtype ${dtype} in tensor ${name} of ${file}: TAPO Studio reads F32, F16 and BF16. ` +
        "Convert the checkpoint to one of them (e.g. torch_dtype=bfloat16) and save it again.",
    );
  }
  if (!Array.isArray(r.shape) || !r.shape.every(isCount)) throw bad("has no shape of non-negative integers");
  if (r.shape.length > MAX_SHAPE_DIMS) throw bad(`has a shape of ${r.shape.length} dimensions, over TAPO Studio's limit of ${MAX_SHAPE_DIMS}`);
  const shape = r.shape as number[];
  const offsets = r.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw bad("has no data_offsets [begin, end] of non-negative integers");
  }
  const [from, to] = offsets as [number, number];
  if (from > to) throw bad(`has data_offsets [${from}, ${to}] that end before they begin`);
  const count = shape.reduce((a, b) => a * b, 1);
  if ((to - from) !== count * elementBytes) {
    throw bad(`spans ${to - from} bytes, but ${dtype} of shape [${shape.join(", ")}] needs ${count * elementBytes}`);
  }
  const begin = dataStart + from;
  const end = dataStart + to;
  if (end > size) {
    throw new SafetensorsError(
      `${file}: tensor "${name}" runs to byte ${end} but the file has only ${size} bytes: ` +
        "a header whose offsets run past the end of the file (the file is truncated, by an interrupted download or copy, or damaged). " +
        "Delete it (and its cached copy) and fetch it again.",
    );
  }
  return { name, dtype, shape, begin, end };
}

/**
 * Reads and checks a file's header: every tensor's dtype, shape and offsets.
 * Reads only the first 8 + N bytes.
 */
export async function readSafetensorsHeader(src: ByteSource, signal?: AbortSignal): Promise<SafetensorsHeader> {
  if (src.size < 8) throw new TruncatedFileError(src.name, 8, src.size);
  const lengthBytes = await src.read(0, 8, signal);
  const view = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8);
  const headerBytes = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerBytes > MAX_HEADER_BYTES || headerBytes < 2) {
    const which = headerBytes < 2 ? "which no safetensors file has" : `over the limit of ${MAX_HEADER_BYTES} bytes that safetensors and TAPO Studio set`;
    throw new SafetensorsError(
      `${src.name} starts with a header length of ${headerBytes} bytes, ${which}: ` +
        "it is not a safetensors file (a PyTorch .bin or GGUF file renamed?) or its first bytes are damaged",
    );
  }
  const dataStart = 8 + headerBytes;
  if (dataStart > src.size) throw new TruncatedFileError(src.name, dataStart, src.size);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await src.read(8, headerBytes, signal)));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SafetensorsError(
      `${src.name}: the header is not valid JSON (${error instanceof Error ? error.message : String(error)}): ` +
        "the file is damaged or not a safetensors file",
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SafetensorsError(`${src.name}: the header is JSON but not an object of tensors: the file is not safetensors`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const tensorCount = entries.length - ("__metadata__" in parsed ? 1 : 0);
  if (tensorCount > MAX_TENSORS) {
    throw new SafetensorsError(
      `${src.name}: the header lists ${tensorCount} tensors, over TAPO Studio's limit of ${MAX_TENSORS} tensors per file ` +
        "(real checkpoints hold at most tens of thousands): the file is damaged or not a model TAPO Studio reads",
    );
  }
  const tensors = new Map<string, SafetensorsTensorInfo>();
  const metadata: Record<string, string> = {};
  for (const [name, raw] of entries) {
    if (name === "__metadata__") {
      if (typeof raw === "object" && raw !== null) {
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) metadata[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      continue;
    }
    tensors.set(name, entryInfo(src.name, name, raw, dataStart, src.size));
  }
  return { tensors, metadata, dataStart };
}

/** (rows, cols) of a tensor read row by row: shape[0] × the rest; a 1-D or 0-D tensor is one row. */
export function tensorRowsCols(info: SafetensorsTensorInfo): [number, number] {
  if (info.shape.length <= 1) return [1, info.shape[0] ?? 1];
  return [info.shape[0] as number, info.shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** The weight dtype of a tensor, or a SafetensorsError naming it when the engine cannot read that dtype. */
export function floatDtypeOf(info: SafetensorsTensorInfo, file: string): FloatDtype {
  if (isFloatDtype(info.dtype)) return info.dtype;
  throw new SafetensorsError(
    `unknown dtype ${info.dtype} in tensor ${info.name} of ${file}: TAPO Studio reads F32, F16 and BF16. ` +
      "Save the checkpoint with float32, float16 or bfloat16 weights.",
  );
}

/**
 * Rows [rowStart, rowStart + rowCount) of a tensor (rows as in tensorRowsCols), converted to f32:
 * returns rowCount × cols values, row-major. Reads only those rows' bytes.
 */
export async function readRowsF32(
  src: ByteSource,
  info: SafetensorsTensorInfo,
  rowStart: number,
  rowCount: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const dtype = floatDtypeOf(info, src.name);
  const [rows, cols] = tensorRowsCols(info);
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowCount) || rowStart < 0 || rowCount < 0 || rowStart + rowCount > rows) {
    throw new RangeError(`${src.name}: rows ${rowStart}..${rowStart + rowCount} are outside tensor ${info.name} of ${rows} rows`);
  }
  const rowBytes = cols * (DTYPE_BYTES[dtype] as number);
  const bytes = await src.read(info.begin + rowStart * rowBytes, rowCount * rowBytes, signal);
  return decodeToF32(bytes, dtype);
}

/** Rows per read that keep one read (in the file's dtype) within `maxBytes` (at least one row). */
export function rowsPerChunk(info: SafetensorsTensorInfo, maxBytes = 32 * 1024 * 1024): number {
  const [rows, cols] = tensorRowsCols(info);
  const rowBytes = Math.max(1, cols * (DTYPE_BYTES[info.dtype] ?? 4));
  return Math.max(1, Math.min(rows, Math.floor(maxBytes / rowBytes)));
}

/** A tensor to write: values in row-major order, stored in `dtype`. */
export type SafetensorsInput = { name: string; dtype: FloatDtype; shape: number[]; data: ArrayLike<number> };

/**
 * A whole safetensors file in memory (tests, PEFT adapters, tiny models): tensors in the given order,
 * header padded with spaces to a multiple of 8 bytes as the reference writer does.
 */
export function writeSafetensors(tensors: SafetensorsInput[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === "__metadata__" || t.name in header) throw new Error(`writeSafetensors: duplicate or reserved tensor name ${t.name}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new Error(`writeSafetensors: tensor ${t.name} has ${t.data.length} values but shape [${t.shape.join(", ")}] holds ${count}`);
    }
    const bytes = count * (DTYPE_BYTES[t.dtype] as number);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  let jsonBytes = new TextEncoder().encode(json);
  const padding = (8 - (jsonBytes.length % 8)) % 8;
  if (padding) {
    json += " ".repeat(padding);
    jsonBytes = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + jsonBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, jsonBytes.length, true);
  view.setUint32(4, 0, true);
  out.set(jsonBytes, 8);
  let at = 8 + jsonBytes.length;
  for (const t of tensors) {
    const bytes = t.data.length * (DTYPE_BYTES[t.dtype] as number);
    encodeFromF32(t.data, t.dtype, out.subarray(at, at + bytes));
    at += bytes;
  }
  return out;
}
