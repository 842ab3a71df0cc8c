// Checks safetensors reading and writing: round trips in F32/F16/BF16, row reads, every refusal (truncation, bad offsets, dtypes, JSON), and the header caps. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { TruncatedFileError, bytesSource, type ByteSource } from "../io/source";
import { bf16BitsToF32, f16BitsToF32 } from "../quant/f16";
import { freshSeed, mulberry32 } from "../util/random";
import {
  MAX_HEADER_BYTES,
  MAX_SHAPE_DIMS,
  MAX_TENSORS,
  SafetensorsError,
  readRowsF32,
  readSafetensorsHeader,
  rowsPerChunk,
  writeSafetensors,
} from "./safetensors";
import { f32ToBf16Bits } from "./safetensors_dtypes";

/** A file from a hand-written header object and a data section. */
function rawFile(header: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Random values that the dtype holds exactly (random finite bit patterns). */
function representable(rand: () => number, n: number, dtype: "F32" | "F16" | "BF16"): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (dtype === "F32") out[i] = (2 * rand() - 1) * 10 ** (4 * rand() - 2);
    else {
      let bits: number;
      do bits = Math.floor(rand() * 65536);
      while (((bits >> (dtype === "F16" ? 10 : 7)) & (dtype === "F16" ? 0x1f : 0xff)) === (dtype === "F16" ? 0x1f : 0xff));
      out[i] = dtype === "F16" ? f16BitsToF32(bits) : bf16BitsToF32(bits);
    }
  }
  return out;
}

describe("safetensors round trip", () => {
  const seed = freshSeed();
  for (const dtype of ["F32", "F16", "BF16"] as const) {
    it(`writes and reads back ${dtype} tensors exactly, whole and by rows (seed ${seed})`, async () => {
      const rand = mulberry32(seed);
      const a = representable(rand, 7 * 13, dtype);
      const b = representable(rand, 5, dtype);
      const file = writeSafetensors(
        [
          { name: "a", dtype, shape: [7, 13], data: a },
          { name: "bias", dtype, shape: [5], data: b },
        ],
        { format: "pt", note: "x" },
      );
      const src = bytesSource("t.safetensors", file);
      const header = await readSafetensorsHeader(src);
      expect(header.metadata).toEqual({ format: "pt", note: "x" });
      expect((header.dataStart - 8) % 8).toBe(0);
      expect([...header.tensors.keys()]).toEqual(["a", "bias"]);
      const ia = header.tensors.get("a")!;
      expect(ia.shape).toEqual([7, 13]);
      expect(ia.dtype).toBe(dtype);
      expect(ia.end - ia.begin).toBe(7 * 13 * (dtype === "F32" ? 4 : 2));
      expect(await readRowsF32(src, ia, 0, 7)).toEqual(a);
      expect(await readRowsF32(src, ia, 2, 3)).toEqual(a.subarray(2 * 13, 5 * 13));
      expect(await readRowsF32(src, header.tensors.get("bias")!, 0, 1)).toEqual(b);
      expect(file.length).toBe(header.dataStart + (7 * 13 + 5) * (dtype === "F32" ? 4 : 2));
    });
  }

  it(`rounds F16 and BF16 writes to nearest (seed ${seed})`, async () => {
    const rand = mulberry32(seed ^ 1);
    const x = Float32Array.from({ length: 64 }, () => (2 * rand() - 1) * 3);
    for (const dtype of ["F16", "BF16"] as const) {
      const src = bytesSource("r.safetensors", writeSafetensors([{ name: "x", dtype, shape: [64], data: x }]));
      const back = await readRowsF32(src, (await readSafetensorsHeader(src)).tensors.get("x")!, 0, 1);
      const ulp = dtype === "F16" ? 2 ** -10 : 2 ** -7;
      for (let i = 0; i < x.length; i++) {
        const v = x[i] as number;
        expect(Math.abs((back[i] as number) - v), `${dtype} ${v}`).toBeLessThanOrEqual(0.5 * ulp * 2 ** Math.floor(Math.log2(Math.abs(v))) * (1 + 1e-9) + 2 ** -30);
      }
    }
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 2 ** -8))).toBe(1); // tie to even
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
  });

  it("reads 1-D tensors as one row and sizes chunks by bytes", async () => {
    const src = bytesSource("c.safetensors", writeSafetensors([{ name: "m", dtype: "BF16", shape: [100, 10], data: new Float32Array(1000) }]));
    const info = (await readSafetensorsHeader(src)).tensors.get("m")!;
    expect(rowsPerChunk(info, 200)).toBe(10);
    expect(rowsPerChunk(info, 1)).toBe(1);
    expect(rowsPerChunk(info)).toBe(100);
    await expect(readRowsF32(src, info, 95, 6)).rejects.toThrow(/outside tensor m of 100 rows/);
  });
});

describe("safetensors refusals", () => {
  const good = writeSafetensors([{ name: "w", dtype: "F32", shape: [4, 4], data: new Float32Array(16).fill(1) }]);

  it("names the file, the bytes needed and the size when the header is cut", async () => {
    const cut = good.subarray(0, 20);
    const err = await readSafetensorsHeader(bytesSource("cut.safetensors", cut)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TruncatedFileError);
    const need = 8 + new DataView(good.buffer).getUint32(0, true);
    expect(String(err)).toContain("cut.safetensors");
    expect(String(err)).toContain(`${need} bytes are needed`);
    expect(String(err)).toContain("ends at byte 20");
  });

  it("says the offsets run past the end when the data is cut", async () => {
    const cut = good.subarray(0, good.length - 3);
    await expect(readSafetensorsHeader(bytesSource("short.safetensors", cut))).rejects.toThrow(
      new RegExp(`short.safetensors: tensor "w" runs to byte ${good.length} but the file has only ${cut.length} bytes: a header whose offsets run past the end of the file`),
    );
  });

  it("refuses a header whose offsets run past the end of an intact file", async () => {
    const file = rawFile({ w: { dtype: "F32", shape: [2], data_offsets: [8, 16] } }, new Uint8Array(8));
    await expect(readSafetensorsHeader(bytesSource("off.safetensors", file))).rejects.toThrow(/offsets run past the end of the file/);
  });

  it("refuses offsets that disagree with the shape", async () => {
    const file = rawFile({ w: { dtype: "F16", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    await expect(readSafetensorsHeader(bytesSource("len.safetensors", file))).rejects.toThrow(/spans 8 bytes, but F16 of shape \[3\] needs 6/);
  });

  it("refuses a dtype outside the specification in the header", async () => {
    const file = rawFile({ w: { dtype: "F7", shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2));
    await expect(readSafetensorsHeader(bytesSource("d.safetensors", file))).rejects.toThrow(
      /unknown dtype F7 in tensor w of d.safetensors: TAPO Studio reads F32, F16 and BF16/,
    );
  });

  it("parses I64 and U8 tensors but will not read them as weights", async () => {
    const file = rawFile(
      { ids: { dtype: "I64", shape: [2], data_offsets: [0, 16] }, mask: { dtype: "U8", shape: [3], data_offsets: [16, 19] } },
      new Uint8Array(19),
    );
    const src = bytesSource("i.safetensors", file);
    const header = await readSafetensorsHeader(src);
    expect(header.tensors.get("ids")!.dtype).toBe("I64");
    await expect(readRowsF32(src, header.tensors.get("ids")!, 0, 1)).rejects.toThrow(/unknown dtype I64 in tensor ids of i.safetensors: TAPO Studio reads F32, F16 and BF16/);
    await expect(readRowsF32(src, header.tensors.get("mask")!, 0, 1)).rejects.toThrow(SafetensorsError);
  });

  it("refuses a header that is not JSON, and a length no safetensors file has", async () => {
    const bad = rawFile(undefined, new Uint8Array(0), '{"w": {"dtype": "F32", ');
    await expect(readSafetensorsHeader(bytesSource("j.safetensors", bad))).rejects.toThrow(/j.safetensors: the header is not valid JSON/);
    const gguf = new TextEncoder().encode("GGUF\x03\x00\x00\x00rest of a gguf file");
    await expect(readSafetensorsHeader(bytesSource("model.safetensors", gguf))).rejects.toThrow(/not a safetensors file/);
  });
});

describe("safetensors header caps", () => {
  it("refuses a header length of 2^40 after reading only the 8 bytes that declare it", async () => {
    const first = new Uint8Array(8);
    new DataView(first.buffer).setBigUint64(0, 2n ** 40n, true);
    const reads: [number, number][] = [];
    // A 2 TiB "file": only its first 8 bytes exist; any other read fails the test.
    const src: ByteSource = {
      name: "huge.safetensors",
      size: 2 ** 41,
      async read(offset, length) {
        reads.push([offset, length]);
        if (offset + length > 8) throw new Error(`test source: read to byte ${offset + length}`);
        return first.subarray(offset, offset + length);
      },
    };
    await expect(readSafetensorsHeader(src)).rejects.toThrow(
      `huge.safetensors starts with a header length of ${2 ** 40} bytes, over the limit of ${MAX_HEADER_BYTES} bytes that safetensors and TAPO Studio set: it is not a safetensors file`,
    );
    expect(reads).toEqual([[0, 8]]);
  });

  it("refuses more tensors than the cap", async () => {
    // Entries are counted before any is checked, so they need not be valid tensors (that keeps the file small).
    const entries = Array.from({ length: MAX_TENSORS + 1 }, (_, i) => `"t${i}":0`);
    const file = rawFile(undefined, new Uint8Array(0), `{"__metadata__":{"format":"pt"},${entries.join(",")}}`);
    await expect(readSafetensorsHeader(bytesSource("many.safetensors", file))).rejects.toThrow(
      `many.safetensors: the header lists ${MAX_TENSORS + 1} tensors, over TAPO Studio's limit of ${MAX_TENSORS} tensors per file`,
    );
  });

  it("refuses a shape of more dimensions than the cap", async () => {
    const shape = new Array<number>(MAX_SHAPE_DIMS + 1).fill(1);
    const file = rawFile({ w: { dtype: "F32", shape, data_offsets: [0, 4] } }, new Uint8Array(4));
    await expect(readSafetensorsHeader(bytesSource("rank.safetensors", file))).rejects.toThrow(
      `rank.safetensors: the header entry of tensor "w" has a shape of ${MAX_SHAPE_DIMS + 1} dimensions, over TAPO Studio's limit of ${MAX_SHAPE_DIMS}`,
    );
    const ok = rawFile({ w: { dtype: "F32", shape: shape.slice(1), data_offsets: [0, 4] } }, new Uint8Array(4));
    expect((await readSafetensorsHeader(bytesSource("ok.safetensors", ok))).tensors.get("w")!.shape).toHaveLength(MAX_SHAPE_DIMS);
  });
});
