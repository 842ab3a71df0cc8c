// Checks httpSource against a real HTTP server on 127.0.0.1 (Node, no browser, no GPU): Range reads, size probing,
// 404, a connection cut once (retried), cut every time (clear final error), and a server that ignores Range.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TruncatedFileError } from "../io/source";
import { freshSeed, mulberry32 } from "../util/random";
import { HttpNotFoundError, HttpReadError, httpSource, RangeNotSupportedError } from "./http";
import { type FakeServer, startFakeServer } from "./testing_server";

const seed = freshSeed();
const rand = mulberry32(seed);
const size = 50_000 + Math.floor(rand() * 50_000);
const bytes = new Uint8Array(size).map(() => Math.floor(rand() * 256));
const files = new Map([["model.bin", bytes]]);
let server: FakeServer;
const fast = { retries: 3, retryDelayMs: 5 };

beforeAll(async () => {
  server = await startFakeServer({ files, repos: new Map() });
});
afterAll(() => server.close());

describe(`httpSource (seed ${seed})`, () => {
  it("learns the size with HEAD and returns exactly the asked ranges", async () => {
    const source = await httpSource(`${server.url}/files/model.bin`, fast);
    expect(source.size).toBe(size);
    expect(source.name).toBe("model.bin");
    for (let i = 0; i < 8; i++) {
      const offset = Math.floor(rand() * (size - 1));
      const length = 1 + Math.floor(rand() * Math.min(9000, size - offset - 1));
      const got = await source.read(offset, length);
      expect(got.length, `seed ${seed}: ${offset}+${length}`).toBe(length);
      expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length))), `seed ${seed}`).toBe(true);
    }
    const tail = await source.read(size - 3, 3);
    expect([...tail]).toEqual([...bytes.subarray(size - 3)]);
  });

  it("falls back to a 0-0 Range GET when HEAD is refused", async () => {
    const source = await httpSource(`${server.url}/no-head/model.bin`, fast);
    expect(source.size).toBe(size);
    const got = await source.read(1000, 500);
    expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(1000, 1500)))).toBe(true);
  });

  it("refuses a read past the end without asking the server", async () => {
    const source = await httpSource(`${server.url}/files/model.bin`, fast);
    const before = server.gets.get("/files/model.bin") ?? 0;
    await expect(source.read(size - 10, 11)).rejects.toBeInstanceOf(TruncatedFileError);
    expect(server.gets.get("/files/model.bin") ?? 0).toBe(before);
  });

  it("says 'not found' and names the URL for a 404", async () => {
    const url = `${server.url}/files/missing.bin`;
    const error = await httpSource(url, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpNotFoundError);
    expect((error as Error).message).toContain("not found");
    expect((error as Error).message).toContain(url);
  });

  it("retries a connection cut mid-body and returns the whole range", async () => {
    const source = await httpSource(`${server.url}/cut-once/model.bin`, fast);
    const got = await source.read(0, size);
    expect(got.length).toBe(size);
    expect(Buffer.from(got).equals(Buffer.from(bytes)), `seed ${seed}`).toBe(true);
    expect(server.gets.get("/cut-once/model.bin")).toBe(2);
  });

  it("gives a clear error, after the retries, when every attempt is cut", async () => {
    const url = `${server.url}/cut-always/model.bin`;
    const source = await httpSource(url, fast);
    const error = await source.read(0, size).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpReadError);
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toMatch(/after 4 attempts/);
    expect(server.gets.get("/cut-always/model.bin")).toBe(4);
  });

  it("reads a prefix from a server that ignores Range, and refuses deeper reads", async () => {
    const url = `${server.url}/no-range/model.bin`;
    const source = await httpSource(url, fast);
    expect(source.size).toBe(size);
    const head = await source.read(0, 100);
    expect([...head]).toEqual([...bytes.subarray(0, 100)]);
    const error = await source.read(5000, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeNotSupportedError);
    expect((error as Error).message).toContain(url);
  });
});
