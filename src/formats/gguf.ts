// GGUF reader (versions 2 and 3, little-endian): the header only — metadata
// key/values and tensor infos — read through a ByteSource in a window that
// grows as needed, never the whole file. Tensor data is read later by the
// loaders, range by range, from the absolute offsets computed here.
//
// Layout (ggml docs/gguf.md): "GGUF" magic, u32 version, u64 tensor count,
// u64 metadata count, metadata (gguf string key, u32 value type, value),
// tensor infos (name, u32 n_dims, u64 ne[n_dims] with ne[0] the fastest
// varying, u32 ggml type, u64 offset relative to the data section), then
// padding to general.alignment (default 32) and the data section.
// A gguf string is a u64 byte length and UTF-8 bytes, not NUL-terminated.
import { TruncatedFileError, type ByteSource } from "../io/source";
import { GGUF_VALUE, ggmlTypeBlock, ggmlTypeName, type GgufValue } from "./gguf_types";

export * from "./gguf_types";
export { writeGguf, type GgufTensorData } from "./gguf_write";

export const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46] as const; // "GGUF"
export const GGUF_DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
/** More tensors or metadata entries than this means a corrupt header, not a model. */
const MAX_ENTRIES = 1 << 24;

export type GgufTensorInfo = {
  name: string;
  /** ne order: dims[0] is the fastest-varying (columns of a matrix). */
  dims: number[];
  /** ggml type id. */
  type: number;
  /** "Q4_K", "F16", … ("type N" when unknown). */
  typeName: string;
  /** Absolute byte offset of the tensor's data in the file. */
  offset: number;
  /** Bytes of data, or -1 when the type is unknown to this reader. */
  bytes: number;
};

export type GgufHeader = {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** Absolute offset of the (aligned) data section. */
  dataStart: number;
  alignment: number;
};

/** A file that is not a GGUF this reader understands, with what is wrong and what to do. */
export class GgufFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GgufFormatError";
  }
}

/** The file ends inside its header (an interrupted download or copy). */
export class GgufTruncatedError extends TruncatedFileError {
  constructor(file: string, wanted: number, size: number, what: string) {
    super(file, wanted, size);
    this.message =
      `${file} ends at byte ${size}, inside its GGUF header (${what} needs bytes up to ${wanted}): ` +
      "the file is truncated (an interrupted download or copy). Delete it (and any cached copy) and fetch it again.";
    this.name = "GgufTruncatedError";
  }
}

/** Thrown inside the parser when the window is too small; the caller grows it and retries. */
class NeedMore {
  constructor(readonly end: number) {}
}

const INITIAL_WINDOW = 1 << 20;

/** Bytes of each fixed-width metadata value type. */
const SCALAR_WIDTH: Record<number, number> = {
  [GGUF_VALUE.UINT8]: 1,
  [GGUF_VALUE.INT8]: 1,
  [GGUF_VALUE.UINT16]: 2,
  [GGUF_VALUE.INT16]: 2,
  [GGUF_VALUE.UINT32]: 4,
  [GGUF_VALUE.INT32]: 4,
  [GGUF_VALUE.FLOAT32]: 4,
  [GGUF_VALUE.BOOL]: 1,
  [GGUF_VALUE.UINT64]: 8,
  [GGUF_VALUE.INT64]: 8,
  [GGUF_VALUE.FLOAT64]: 8,
};

/** A sync cursor over the first `bytes.length` bytes of the file. */
class Cursor {
  pos = 0;
  private view: DataView;
  private decoder = new TextDecoder("utf-8", { fatal: true });
  constructor(
    private bytes: Uint8Array,
    private readonly file: string,
    private readonly size: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  setBytes(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Makes sure [pos, pos + n) is in the window. */
  need(n: number, what: string): void {
    const end = this.pos + n;
    if (end > this.size) throw new GgufTruncatedError(this.file, end, this.size, what);
    if (end > this.bytes.length) throw new NeedMore(end);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A u64 that must fit a double exactly (counts, sizes, offsets). */
  size64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufFormatError(`${this.file}: ${what} is ${v}, which no real file has: the GGUF header is corrupt`);
    }
    return Number(v);
  }
  string(what: string): string {
    const length = this.size64(`the length of ${what}`);
    this.need(length, what);
    const slice = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return this.decoder.decode(slice);
    } catch {
      throw new GgufFormatError(`${this.file}: ${what} is not valid UTF-8: the GGUF header is corrupt`);
    }
  }
  scalar(type: number, what: string): GgufValue {
    if (type === GGUF_VALUE.STRING) return this.string(what);
    const width = SCALAR_WIDTH[type];
    if (width === undefined) {
      throw new GgufFormatError(`${this.file}: ${what} has value type ${type}, which GGUF does not define: the header is corrupt`);
    }
    this.need(width, what);
    const v = this.view;
    const at = this.pos;
    this.pos += width;
    switch (type) {
      case GGUF_VALUE.UINT8:
        return v.getUint8(at);
      case GGUF_VALUE.INT8:
        return v.getInt8(at);
      case GGUF_VALUE.UINT16:
        return v.getUint16(at, true);
      case GGUF_VALUE.INT16:
        return v.getInt16(at, true);
      case GGUF_VALUE.UINT32:
        return v.getUint32(at, true);
      case GGUF_VALUE.INT32:
        return v.getInt32(at, true);
      case GGUF_VALUE.FLOAT32:
        return v.getFloat32(at, true);
      case GGUF_VALUE.FLOAT64:
        return v.getFloat64(at, true);
      case GGUF_VALUE.UINT64:
        return exact(v.getBigUint64(at, true));
      case GGUF_VALUE.INT64:
        return exact(v.getBigInt64(at, true));
      default: {
        const b = v.getUint8(at);
        if (b > 1) throw new GgufFormatError(`${this.file}: ${what} is a BOOL holding ${b} (must be 0 or 1): the header is corrupt`);
        return b === 1;
      }
    }
  }
  value(type: number, what: string, depth = 0): GgufValue {
    if (type !== GGUF_VALUE.ARRAY) return this.scalar(type, what);
    if (depth > 8) throw new GgufFormatError(`${this.file}: ${what} nests arrays more than 8 deep: the header is corrupt`);
    const elementType = this.u32(`the element type of ${what}`);
    const count = this.size64(`the length of ${what}`);
    // Every element takes at least one byte: a count past the end of the file is a cut file.
    if (this.pos + count > this.size) throw new GgufTruncatedError(this.file, this.pos + count, this.size, what);
    const out: GgufValue[] = new Array<GgufValue>(count);
    for (let i = 0; i < count; i++) out[i] = this.value(elementType, what, depth + 1);
    return out;
  }
}

/** A 64-bit integer as a number when exact, else as a bigint. */
function exact(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

/**
 * Reads a GGUF file's header: metadata, tensor infos (absolute offsets and byte
 * sizes), and where the data section starts. Reads ranges from the start of the
 * file, growing the window until the header fits; never the tensor data.
 * Throws GgufFormatError (not GGUF, unsupported version, corrupt header, tensor
 * data past the end of the file) or GgufTruncatedError.
 */
export async function readGgufHeader(src: ByteSource, signal?: AbortSignal): Promise<GgufHeader> {
  const first = await src.read(0, Math.min(src.size, INITIAL_WINDOW), signal);
  if (src.size < 4 || GGUF_MAGIC.some((b, i) => first[i] !== b)) {
    throw new GgufFormatError(
      `${src.name} is not a GGUF file (it starts with bytes ${hexBytes(first.subarray(0, 4)) || "(none: the file is empty)"}, ` +
        'not "GGUF" = 47 47 55 46). Pick a .gguf model file, or a Hugging Face model folder.',
    );
  }
  let window = first;
  const cur = new Cursor(window, src.name, src.size);
  /** Runs one parse step, growing the window and retrying it from its start while it runs out. */
  const step = async <T>(parse: () => T): Promise<T> => {
    for (;;) {
      const start = cur.pos;
      try {
        return parse();
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        cur.pos = start;
        const want = Math.min(src.size, Math.max(e.end, window.length * 2));
        const more = await src.read(window.length, want - window.length, signal);
        const grown = new Uint8Array(want);
        grown.set(window);
        grown.set(more, window.length);
        window = grown;
        cur.setBytes(window);
      }
    }
  };

  cur.pos = 4;
  const version = cur.u32("the version");
  if (version !== 2 && version !== 3) {
    const hint =
      version > 0xffff
        ? "it looks big-endian, which TAPO Studio does not read; use a little-endian GGUF"
        : version === 1
          ? "version 1 is the original GGUF draft; convert the model again with a current llama.cpp"
          : "TAPO Studio reads GGUF versions 2 and 3; convert the model with a llama.cpp of a matching age";
    throw new GgufFormatError(`${src.name} is GGUF version ${version}, which TAPO Studio cannot read: ${hint}.`);
  }
  const tensorCount = cur.size64("the tensor count");
  const kvCount = cur.size64("the metadata count");
  if (tensorCount > MAX_ENTRIES || kvCount > MAX_ENTRIES) {
    throw new GgufFormatError(
      `${src.name}: its header claims ${tensorCount} tensors and ${kvCount} metadata entries, far more than any model has: the header is corrupt`,
    );
  }

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    await step(() => {
      const key = cur.string(`metadata key ${i}`);
      const type = cur.u32(`the type of metadata "${key}"`);
      const value = cur.value(type, `metadata "${key}"`);
      if (metadata.has(key)) throw new GgufFormatError(`${src.name}: metadata "${key}" appears twice: the header is corrupt`);
      metadata.set(key, value);
    });
  }

  const alignment = readAlignment(metadata, src.name);
  const infos: Omit<GgufTensorInfo, "offset">[] = [];
  const relative: number[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    await step(() => {
      const name = cur.string(`the name of tensor ${i}`);
      const nDims = cur.u32(`the dimension count of tensor "${name}"`);
      if (nDims < 1 || nDims > MAX_DIMS) {
        throw new GgufFormatError(`${src.name}: tensor "${name}" has ${nDims} dimensions (GGUF allows 1 to ${MAX_DIMS}): the header is corrupt`);
      }
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(cur.size64(`dimension ${d} of tensor "${name}"`));
      const type = cur.u32(`the type of tensor "${name}"`);
      const offset = cur.size64(`the offset of tensor "${name}"`);
      if (names.has(name)) throw new GgufFormatError(`${src.name}: tensor "${name}" appears twice: the header is corrupt`);
      names.add(name);
      infos.push({ name, dims, type, typeName: ggmlTypeName(type), bytes: tensorBytes(src.name, name, dims, type) });
      relative.push(offset);
    });
  }
  const dataStart = alignUp(cur.pos, alignment);
  const tensors = infos.map((info, i) => {
    const rel = relative[i] as number;
    if (rel % alignment !== 0) {
      throw new GgufFormatError(
        `${src.name}: tensor "${info.name}" starts at data offset ${rel}, not a multiple of the file's alignment ${alignment}: the header is corrupt`,
      );
    }
    const offset = dataStart + rel;
    if (info.bytes >= 0 && offset + info.bytes > src.size) {
      throw new GgufFormatError(
        `${src.name} ends at byte ${src.size} but its header puts tensor "${info.name}" at bytes ${offset}..${offset + info.bytes}: ` +
          "the file is truncated (an interrupted download or copy). Delete it (and any cached copy) and fetch it again.",
      );
    }
    return { ...info, offset };
  });
  return { version, metadata, tensors, dataStart, alignment };
}

function readAlignment(metadata: Map<string, GgufValue>, file: string): number {
  const a = metadata.get("general.alignment");
  if (a === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (typeof a !== "number" || !Number.isInteger(a) || a <= 0 || (a & (a - 1)) !== 0) {
    throw new GgufFormatError(`${file}: general.alignment is ${String(a)}, not a positive power of two: the header is corrupt`);
  }
  return a;
}

/** Bytes of a tensor's data, or -1 for a type this reader does not know. */
function tensorBytes(file: string, name: string, dims: number[], type: number): number {
  const block = ggmlTypeBlock(type);
  if (!block) return -1;
  const cols = dims[0] as number;
  if (cols % block.blockSize !== 0) {
    throw new GgufFormatError(
      `${file}: tensor "${name}" has rows of ${cols} values, not a multiple of ${ggmlTypeName(type)}'s block of ${block.blockSize}: the header is corrupt`,
    );
  }
  const count = dims.reduce((a, b) => a * b, 1);
  return (count / block.blockSize) * block.blockBytes;
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
