// Checks the GGUF reader and writer: every metadata value type round trips, tensor infos (offsets, sizes, alignment), v2 files, windowed reads, each malformed-file message, and the header caps (refused before reading or allocating). Pure, no GPU.
import { describe, expect, it } from "vitest";
import { bytesSource, type ByteSource } from "../io/source";
import { freshSeed, mulberry32 } from "../util/random";
import {
  GGML_TYPE,
  GGUF_LIMITS,
  GGUF_MAGIC,
  GGUF_VALUE,
  GgufFormatError,
  GgufLimitError,
  GgufTruncatedError,
  readGgufHeader,
  writeGguf,
  type GgufTensorData,
  type GgufTypedValue,
} from "./gguf";

/** A source that records every range it is asked for. */
function countingSource(name: string, bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const inner = bytesSource(name, bytes);
  const reads: [number, number][] = [];
  return {
    name,
    size: bytes.length,
    reads,
    read(offset, length, signal) {
      reads.push([offset, length]);
      return inner.read(offset, length, signal);
    },
  };
}

/**
 * A file of `size` bytes, all zero except the given patches, served without holding it: a crafted header that
 * sits at the start of a multi-gigabyte "model". Records every read; a read ending past `readLimit` throws,
 * so a reader that would go on reading fails the test at once.
 */
function craftedSource(name: string, size: number, patches: [number, Uint8Array][], readLimit = size): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    name,
    size,
    reads,
    async read(offset, length) {
      reads.push([offset, length]);
      if (offset + length > readLimit) throw new Error(`test source: read to byte ${offset + length}, past ${readLimit}`);
      const out = new Uint8Array(length);
      for (const [at, bytes] of patches) {
        const from = Math.max(at, offset);
        const to = Math.min(at + bytes.length, offset + length);
        if (from < to) out.set(bytes.subarray(from - at, to - at), from - offset);
      }
      return out;
    },
  };
}

/** Little-endian fields: [bytes, kind] with kind u32, u64 or a string (u64 length + UTF-8). */
function fields(...parts: (["u32" | "u64", number] | ["str", string])[]): Uint8Array {
  const chunks = parts.map(([kind, v]) => {
    if (kind === "str") {
      const text = new TextEncoder().encode(v);
      const out = new Uint8Array(8 + text.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(text, 8);
      return out;
    }
    const out = new Uint8Array(kind === "u32" ? 4 : 8);
    const view = new DataView(out.buffer);
    if (kind === "u32") view.setUint32(0, v, true);
    else view.setBigUint64(0, BigInt(v), true);
    return out;
  });
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** "GGUF", version 3, tensor and metadata counts. */
const ggufStart = (tensors: number, kvs: number) => new Uint8Array([...GGUF_MAGIC, ...fields(["u32", 3], ["u64", tensors], ["u64", kvs])]);
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** The furthest byte a source was asked for. */
const furthest = (reads: [number, number][]) => Math.max(...reads.map(([o, n]) => o + n));

const everyType: [string, GgufTypedValue, unknown][] = [
  ["t.u8", { type: GGUF_VALUE.UINT8, value: 250 }, 250],
  ["t.i8", { type: GGUF_VALUE.INT8, value: -128 }, -128],
  ["t.u16", { type: GGUF_VALUE.UINT16, value: 65535 }, 65535],
  ["t.i16", { type: GGUF_VALUE.INT16, value: -32768 }, -32768],
  ["t.u32", { type: GGUF_VALUE.UINT32, value: 4294967295 }, 4294967295],
  ["t.i32", { type: GGUF_VALUE.INT32, value: -2147483648 }, -2147483648],
  ["t.f32", { type: GGUF_VALUE.FLOAT32, value: 0.1 }, Math.fround(0.1)],
  ["t.bool.true", { type: GGUF_VALUE.BOOL, value: true }, true],
  ["t.bool.false", { type: GGUF_VALUE.BOOL, value: false }, false],
  ["t.string", { type: GGUF_VALUE.STRING, value: "Grüße, 世界 🙂" }, "Grüße, 世界 🙂"],
  ["t.empty", { type: GGUF_VALUE.STRING, value: "" }, ""],
  ["t.u64.small", { type: GGUF_VALUE.UINT64, value: 2 ** 40 + 3 }, 2 ** 40 + 3],
  ["t.u64.big", { type: GGUF_VALUE.UINT64, value: 2n ** 64n - 1n }, 2n ** 64n - 1n],
  ["t.i64", { type: GGUF_VALUE.INT64, value: -(2n ** 63n) }, -(2n ** 63n)],
  ["t.i64.small", { type: GGUF_VALUE.INT64, value: -5 }, -5],
  ["t.f64", { type: GGUF_VALUE.FLOAT64, value: 0.1 }, 0.1],
  ["t.arr.i32", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.INT32, value: [1, -2, 3] }, [1, -2, 3]],
  ["t.arr.str", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.STRING, value: ["a", "", "Ġb c"] }, ["a", "", "Ġb c"]],
  ["t.arr.bool", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.BOOL, value: [true, false] }, [true, false]],
  ["t.arr.empty", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.FLOAT32, value: [] }, []],
  [
    "t.arr.nested",
    {
      type: GGUF_VALUE.ARRAY,
      elementType: GGUF_VALUE.ARRAY,
      value: [
        { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.UINT8, value: [7, 8] },
        { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.STRING, value: ["x"] },
      ],
    },
    [[7, 8], ["x"]],
  ],
];

function smallTensors(seed: number): GgufTensorData[] {
  const rand = mulberry32(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  return [
    { name: "vec", dims: [5], type: GGML_TYPE.F32, data: bytes(20) },
    { name: "mat.q8", dims: [64, 3], type: GGML_TYPE.Q8_0, data: bytes(2 * 3 * 34) },
    { name: "mat.q4k", dims: [256, 2], type: GGML_TYPE.Q4_K, data: bytes(2 * 144) },
    { name: "cube.f16", dims: [3, 2, 2], type: GGML_TYPE.F16, data: bytes(24) },
  ];
}

describe("GGUF header", () => {
  it("round-trips every metadata value type, in order", async () => {
    const file = writeGguf(
      everyType.map(([k, v]) => [k, v]),
      [],
    );
    const h = await readGgufHeader(bytesSource("t.gguf", file));
    expect(h.version).toBe(3);
    expect([...h.metadata.keys()]).toEqual(everyType.map(([k]) => k));
    for (const [key, , expected] of everyType) expect(h.metadata.get(key), key).toEqual(expected);
  });

  const seed = freshSeed();
  it(`gives each tensor its dims, type, absolute aligned offset and byte size, and the data reads back (seed ${seed})`, async () => {
    for (const alignment of [32, 64]) {
      const tensors = smallTensors(seed);
      const meta: [string, GgufTypedValue][] = [["general.architecture", { type: GGUF_VALUE.STRING, value: "x" }]];
      if (alignment !== 32) meta.push(["general.alignment", { type: GGUF_VALUE.UINT32, value: alignment }]);
      const file = writeGguf(meta, tensors);
      const h = await readGgufHeader(bytesSource("t.gguf", file));
      expect(h.alignment).toBe(alignment);
      expect(h.dataStart % alignment).toBe(0);
      expect(h.tensors.map((t) => [t.name, t.dims, t.typeName, t.bytes])).toEqual([
        ["vec", [5], "F32", 20],
        ["mat.q8", [64, 3], "Q8_0", 204],
        ["mat.q4k", [256, 2], "Q4_K", 288],
        ["cube.f16", [3, 2, 2], "F16", 24],
      ]);
      for (const [i, t] of h.tensors.entries()) {
        expect(t.offset % alignment, t.name).toBe(0);
        expect(t.offset).toBeGreaterThanOrEqual(h.dataStart);
        expect(file.subarray(t.offset, t.offset + t.bytes), t.name).toEqual(tensors[i]!.data);
      }
    }
  });

  it("reads version 2 files", async () => {
    const file = writeGguf([["a", { type: GGUF_VALUE.UINT32, value: 9 }]], smallTensors(1));
    file[4] = 2;
    const h = await readGgufHeader(bytesSource("v2.gguf", file));
    expect(h.version).toBe(2);
    expect(h.metadata.get("a")).toBe(9);
    expect(h.tensors).toHaveLength(4);
  });

  it("grows its read window for a large header without reading the whole file", async () => {
    const long = "x".repeat(900 << 10); // four 900 KiB strings: more than the first 1 MiB window, each under the string cap
    const big = new Uint8Array(8 << 20);
    const file = writeGguf(
      [0, 1, 2, 3].map((i) => [`long.${i}`, { type: GGUF_VALUE.STRING, value: long }]),
      [{ name: "big", dims: [big.length / 4], type: GGML_TYPE.F32, data: big }],
    );
    const src = countingSource("big.gguf", file);
    const h = await readGgufHeader(src);
    expect((h.metadata.get("long.3") as string).length).toBe(long.length);
    expect(src.reads.length).toBeGreaterThan(1);
    const end = Math.max(...src.reads.map(([o, n]) => o + n));
    // The window at most doubles past what the header needs, and the 8 MiB tensor is never read whole.
    expect(end).toBeLessThanOrEqual(2 * h.dataStart);
    expect(end).toBeLessThan(h.tensors[0]!.offset + big.length / 2);
  });
});

describe("GGUF errors", () => {
  const good = () => writeGguf([["general.architecture", { type: GGUF_VALUE.STRING, value: "qwen2" }]], smallTensors(2));

  it("names a file that is not GGUF and shows its first bytes", async () => {
    const bytes = new TextEncoder().encode('{"not": "gguf"}');
    const err = await readGgufHeader(bytesSource("config.json", bytes)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufFormatError);
    expect((err as Error).message).toContain("config.json is not a GGUF file (it starts with bytes 7b 22 6e 6f");
  });

  it("refuses unsupported versions, saying which", async () => {
    const file = good();
    file[4] = 4;
    await expect(readGgufHeader(bytesSource("v4.gguf", file))).rejects.toThrow(/v4\.gguf is GGUF version 4, which TAPO Studio cannot read/);
    file[4] = 1;
    await expect(readGgufHeader(bytesSource("v1.gguf", file))).rejects.toThrow(/version 1 .*convert the model again/);
    file.set([0, 0, 0, 3], 4);
    await expect(readGgufHeader(bytesSource("be.gguf", file))).rejects.toThrow(/big-endian/);
  });

  it("says where a file cut inside its header ends", async () => {
    const file = good();
    // 24 bytes of fixed header, the key (8 + 20 bytes), its u32 type, then the value's u64 length at 56..64.
    const cut = file.subarray(0, 58);
    const err = await readGgufHeader(bytesSource("cut.gguf", cut)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufTruncatedError);
    expect((err as Error).message).toMatch(/^cut\.gguf ends at byte 58, inside its GGUF header \(the length of metadata "general\.architecture" needs bytes up to 64\): the file is truncated/);
  });

  it("says which tensor's data lies past the end of a cut file", async () => {
    const file = good();
    const h = await readGgufHeader(bytesSource("full.gguf", file));
    const last = h.tensors[h.tensors.length - 1]!;
    const cut = file.subarray(0, last.offset + 3);
    await expect(readGgufHeader(bytesSource("cut.gguf", cut))).rejects.toThrow(
      `cut.gguf ends at byte ${last.offset + 3} but its header puts tensor "cube.f16" at bytes ${last.offset}..${last.offset + 24}: the file is truncated`,
    );
  });

  it("refuses an invalid alignment and a corrupt BOOL", async () => {
    const badAlign = writeGguf([["general.alignment", { type: GGUF_VALUE.UINT32, value: 24 }]], []);
    await expect(readGgufHeader(bytesSource("a.gguf", badAlign))).rejects.toThrow(/general\.alignment is 24, not a positive power of two/);
    const file = writeGguf([["flag", { type: GGUF_VALUE.BOOL, value: true }]], []);
    // 24 bytes of fixed header, the key (8-byte length + "flag"), the u32 type, then the BOOL's byte at 40.
    expect(file[40]).toBe(1);
    file[40] = 2;
    await expect(readGgufHeader(bytesSource("b.gguf", file))).rejects.toThrow(/metadata "flag" is a BOOL holding 2/);
  });
});

describe("GGUF header caps", () => {
  it("refuses a 30-million-element array in a multi-gigabyte file before allocating it or reading past the first window", async () => {
    const header = new Uint8Array([
      ...ggufStart(0, 1),
      ...fields(["str", "tokenizer.ggml.tokens"], ["u32", GGUF_VALUE.ARRAY], ["u32", GGUF_VALUE.UINT32], ["u64", 30_000_000]),
    ]);
    const src = craftedSource("crafted.gguf", 8 * GiB, [[0, header]], 4 * MiB);
    const err = await readGgufHeader(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufLimitError);
    expect((err as Error).message).toBe(
      `crafted.gguf: metadata "tokenizer.ggml.tokens" declares an array of 30000000 elements, over TAPO Studio's limit of ${GGUF_LIMITS.arrayLength} elements ` +
        "(real models stay far below it): the file is corrupt or not a model TAPO Studio reads. Pick another .gguf file.",
    );
    expect(furthest(src.reads)).toBeLessThanOrEqual(MiB);
  });

  it("accepts arrays at real tokenizer sizes (Gemma's 262,144 tokens with scores and types)", async () => {
    const n = 262_144;
    const meta: [string, GgufTypedValue][] = [
      ["tokenizer.ggml.tokens", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.STRING, value: Array.from({ length: n }, (_, i) => `t${i}`) }],
      ["tokenizer.ggml.scores", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.FLOAT32, value: new Array<number>(n).fill(0) }],
      ["tokenizer.ggml.token_type", { type: GGUF_VALUE.ARRAY, elementType: GGUF_VALUE.INT32, value: new Array<number>(n).fill(1) }],
    ];
    const h = await readGgufHeader(bytesSource("gemma-like.gguf", writeGguf(meta, [])));
    expect((h.metadata.get("tokenizer.ggml.tokens") as string[])[n - 1]).toBe(`t${n - 1}`);
    expect(h.metadata.get("tokenizer.ggml.token_type") as number[]).toHaveLength(n);
  });

  it("refuses more array elements in all than the header cap, even when each array is under its own", async () => {
    const each = GGUF_LIMITS.arrayLength; // at the per-array cap; three of them pass the total
    const arrayOf = (key: string) => fields(["str", key], ["u32", GGUF_VALUE.ARRAY], ["u32", GGUF_VALUE.UINT8], ["u64", each]);
    const start = ggufStart(0, 3);
    const a = arrayOf("a");
    const b = arrayOf("b");
    const patches: [number, Uint8Array][] = [
      [0, start],
      [start.length, a],
      [start.length + a.length + each, b],
      [start.length + a.length + each + b.length + each, arrayOf("c")],
    ];
    const src = craftedSource("many.gguf", 8 * GiB, patches);
    const err = await readGgufHeader(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufLimitError);
    expect((err as Error).message).toContain(
      `many.gguf: its arrays, up to metadata "c", declare ${3 * each} elements in all, over TAPO Studio's limit of ${GGUF_LIMITS.arrayElements} array elements per header`,
    );
    // The third array was refused before it was allocated or parsed (its bytes may sit in the doubled window).
    expect(furthest(src.reads)).toBeLessThan(17 * MiB);
  });

  it("refuses a string value or a key longer than its cap before reading it", async () => {
    const longValue = new Uint8Array([
      ...ggufStart(0, 1),
      ...fields(["str", "general.description"], ["u32", GGUF_VALUE.STRING], ["u64", 2 * MiB]),
    ]);
    const src = craftedSource("string.gguf", 8 * GiB, [[0, longValue]], 4 * MiB);
    const err = await readGgufHeader(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufLimitError);
    expect((err as Error).message).toMatch(
      new RegExp(`^string\\.gguf: metadata "general\\.description" declares a string of ${2 * MiB} bytes, over TAPO Studio's limit of ${GGUF_LIMITS.stringBytes} bytes .*not a model TAPO Studio reads`),
    );
    expect(furthest(src.reads)).toBeLessThanOrEqual(MiB);

    const longKey = new Uint8Array([...ggufStart(0, 1), ...fields(["u64", 100_000])]);
    const keySrc = craftedSource("key.gguf", 8 * GiB, [[0, longKey]], 4 * MiB);
    await expect(readGgufHeader(keySrc)).rejects.toThrow(`key.gguf: metadata key 0 declares a string of 100000 bytes, over TAPO Studio's limit of ${GGUF_LIMITS.nameBytes} bytes`);
    expect(furthest(keySrc.reads)).toBeLessThanOrEqual(MiB);
  });

  it("refuses tensor and metadata counts over their caps before reading any entry", async () => {
    const src = craftedSource("tensors.gguf", 8 * GiB, [[0, ggufStart(100_000, 0)]], 4 * MiB);
    await expect(readGgufHeader(src)).rejects.toThrow(`tensors.gguf: its header declares 100000 tensors, over TAPO Studio's limit of ${GGUF_LIMITS.tensors} tensors`);
    const kv = craftedSource("kv.gguf", 8 * GiB, [[0, ggufStart(0, 100_000)]], 4 * MiB);
    await expect(readGgufHeader(kv)).rejects.toThrow(`kv.gguf: its header declares 100000 metadata entries, over TAPO Studio's limit of ${GGUF_LIMITS.metadataEntries} entries`);
  });

  it("stops growing its window at the header cap: a header of strings, each under its cap, that runs past it", async () => {
    const value = GGUF_LIMITS.stringBytes; // each string at the string cap, all zero bytes (valid UTF-8)
    const entries = Math.ceil(GGUF_LIMITS.headerBytes / value) + 2;
    const patches: [number, Uint8Array][] = [[0, ggufStart(0, entries)]];
    let at = patches[0]![1].length;
    for (let i = 0; i < entries; i++) {
      const entry = fields(["str", `k${i}`], ["u32", GGUF_VALUE.STRING], ["u64", value]);
      patches.push([at, entry]);
      at += entry.length + value;
    }
    const src = craftedSource("long.gguf", 8 * GiB, patches);
    const err = await readGgufHeader(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufLimitError);
    expect((err as Error).message).toMatch(
      new RegExp(`^long\\.gguf: its header runs to byte \\d+ \\(at metadata "k\\d+"\\), over TAPO Studio's limit of ${GGUF_LIMITS.headerBytes} header bytes`),
    );
    expect(furthest(src.reads)).toBeLessThanOrEqual(GGUF_LIMITS.headerBytes);
  });
});
