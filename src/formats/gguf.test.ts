// Checks the GGUF reader and writer: every metadata value type round trips, tensor infos (offsets, sizes, alignment), v2 files, windowed reads, and each malformed-file message. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { bytesSource, type ByteSource } from "../io/source";
import { freshSeed, mulberry32 } from "../util/random";
import {
  GGML_TYPE,
  GGUF_VALUE,
  GgufFormatError,
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
    const long = "x".repeat(3 << 20); // a 3 MiB string: more than the first window
    const big = new Uint8Array(8 << 20);
    const file = writeGguf(
      [["long", { type: GGUF_VALUE.STRING, value: long }]],
      [{ name: "big", dims: [big.length / 4], type: GGML_TYPE.F32, data: big }],
    );
    const src = countingSource("big.gguf", file);
    const h = await readGgufHeader(src);
    expect((h.metadata.get("long") as string).length).toBe(long.length);
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
