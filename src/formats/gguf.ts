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
//
// Every count and length in the header is checked against GGUF_LIMITS before
// anything is allocated or read for it, so a crafted header fails at once with
// a GgufLimitError instead of costing gigabytes of reads or heap.
import { TruncatedFileError, type ByteSource } from "../io/source";
import { GGUF_VALUE, ggmlTypeBlock, ggmlTypeName, type GgufValue } from "./gguf_types";

export * from "./gguf_types";
export { writeGguf, type GgufTensorData } from "./gguf_write";

export const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46] as const; // "GGUF"
export const GGUF_DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;

/**
 * Caps on what a GGUF header may declare. Real headers are dominated by the
 * tokenizer (counts from llama.cpp's load logs): Qwen2.5 has 151,936-152,064
 * tokens and 151,387 merges, Llama 3 128,256 tokens and 280,147 merges,
 * Gemma 4 262,144 tokens (with scores and types) and 514,906 merges; by our
 * estimate those headers come to 6-16 MB. Each cap leaves 4-10 times room.
 */
export const GGUF_LIMITS = {
  /** Bytes from the start of the file to the end of the tensor infos (real: up to ~16 MB, Gemma 4). */
  headerBytes: 64 << 20,
  /** Elements of one metadata array (real: at most ~515k, Gemma 4's merges). */
  arrayLength: 1 << 22,
  /** Array elements in the whole header, nested ones included (real: at most ~1.3M, Gemma 4). */
  arrayElements: 1 << 23,
  /** Bytes of one string value (real: chat templates of a few to ~20 KB). */
  stringBytes: 1 << 20,
  /** Bytes of a metadata key or tensor name (the GGUF spec caps keys at 2^16-1; llama.cpp names at 63). */
  nameBytes: 0xffff,
  /** Metadata entries (real: 20-60). */
  metadataEntries: 1 << 16,
  /** Tensor infos (real: ~300 for a 7B, ~1,100 for DeepSeek-V3 or Qwen3-235B). */
  tensors: 1 << 16,
} as const;

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

/** A header that declares more than GGUF_LIMITS allows: crafted or corrupt, refused before reading or allocating it. */
export class GgufLimitError extends GgufFormatError {
  /** `claim`: what the header declares ('metadata "x" declares an array of 30000000 elements'); `limit`: the cap, with its unit. */
  constructor(file: string, claim: string, limit: string) {
    super(
      `${file}: ${claim}, over TAPO Studio's limit of ${limit} (real models stay far below it): ` +
        "the file is corrupt or not a model TAPO Studio reads. Pick another .gguf file.",
    );
    this.name = "GgufLimitError";
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

/** Fewest bytes one value of a type takes in the file: a bound checked before an array is allocated. */
function minBytes(type: number): number {
  if (type === GGUF_VALUE.STRING) return 8;
  if (type === GGUF_VALUE.ARRAY) return 12;
  return SCALAR_WIDTH[type] ?? 1;
}

/** A sync cursor over the first `bytes.length` bytes of the file. */
class Cursor {
  pos = 0;
  /** Array elements declared so far in the header (GGUF_LIMITS.arrayElements). */
  elements = 0;
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
  /** Makes sure [pos, pos + n) is in the window, and within the file and GGUF_LIMITS.headerBytes. */
  need(n: number, what: string): void {
    const end = this.pos + n;
    if (end > GGUF_LIMITS.headerBytes) throw new GgufLimitError(this.file, `its header runs to byte ${end} (at ${what})`, `${GGUF_LIMITS.headerBytes} header bytes`);
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
  /** A gguf string of at most `limit` bytes (GGUF_LIMITS.stringBytes, or nameBytes for keys and names). */
  string(what: string, limit: number = GGUF_LIMITS.stringBytes): string {
    const length = this.size64(`the length of ${what}`);
    if (length > limit) throw new GgufLimitError(this.file, `${what} declares a string of ${length} bytes`, `${limit} bytes`);
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
    if (count > GGUF_LIMITS.arrayLength) throw new GgufLimitError(this.file, `${what} declares an array of ${count} elements`, `${GGUF_LIMITS.arrayLength} elements`);
    this.elements += count;
    if (this.elements > GGUF_LIMITS.arrayElements) {
      throw new GgufLimitError(this.file, `its arrays, up to ${what}, declare ${this.elements} elements in all`, `${GGUF_LIMITS.arrayElements} array elements per header`);
    }
    // Every element takes at least minBytes: check the header cap and the file's end (and grow the window) before allocating.
    this.need(count * minBytes(elementType), `the ${count} elements of ${what}`);
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
      const elements = cur.elements;
      try {
        return parse();
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        cur.pos = start;
        cur.elements = elements;
        // need() refuses an end past GGUF_LIMITS.headerBytes, so the window never grows beyond it.
        const want = Math.min(src.size, GGUF_LIMITS.headerBytes, Math.max(e.end, window.length * 2));
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
  if (tensorCount > GGUF_LIMITS.tensors) throw new GgufLimitError(src.name, `its header declares ${tensorCount} tensors`, `${GGUF_LIMITS.tensors} tensors`);
  if (kvCount > GGUF_LIMITS.metadataEntries) {
    throw new GgufLimitError(src.name, `its header declares ${kvCount} metadata entries`, `${GGUF_LIMITS.metadataEntries} entries`);
  }

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    await step(() => {
      const key = cur.string(`metadata key ${i}`, GGUF_LIMITS.nameBytes);
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
      const name = cur.string(`the name of tensor ${i}`, GGUF_LIMITS.nameBytes);
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
