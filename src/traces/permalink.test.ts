// Checks trace permalinks: round trips, interop with Node's zlib, base64url edge cases, and every typed
// decoding error including the 256 KiB limit on a zip-bomb-like payload. Node only, no GPU.
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Trace } from "../protocol/trace";
import { fromBase64Url, toBase64Url } from "./base64url";
import { InflateLimitError, inflateRaw } from "./deflate_raw";
import { MAX_PERMALINK_BYTES, PermalinkError, decodePermalink, encodePermalink, permalinkUrl } from "./permalink";

const minimal: Trace = { v: 1, model: "tiny", question: "2+2?", segments: [], created: "2025-01-02T03:04:05.000Z" };
const full: Trace = {
  v: 1,
  model: "Qwen/Qwen2.5-0.5B-Instruct",
  step: 12,
  question: "Ünïcødé 数学 🧮: what is <script>alert(1)</script> 17·23?",
  gold: ["391", "three hundred ninety-one"],
  segments: [
    { kind: "think", text: "I should compute 17 × 23 — \"carefully\" \\ with code.\n\ttabs" },
    { kind: "search", text: "17 times 23" },
    { kind: "response", tool: "search", text: "<img src=x onerror=alert(1)> no results", ms: 12.5 },
    { kind: "code", text: "print(17*23)" },
    { kind: "response", tool: "python", text: "", ms: 40, error: "Timeout after 5 s" },
    { kind: "response", tool: "none", text: "use the <answer> tag" },
    { kind: "answer", text: "391 ✅" },
    { kind: "text", text: "\u0000\u2028 odd chars \ud83d\ude00" },
  ],
  reward: { total: 1.1, correct: true, format: true, overlong: -0.25, tool: 0.1 },
  tokens: { policy: 120, forced: 34 },
  created: "2025-06-01T12:00:00.000Z",
};

/** A payload built by Node's zlib, not by the code under test. */
function zlibPayload(value: unknown): string {
  return deflateRawSync(Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8")).toString("base64url");
}

async function decodeError(payload: string): Promise<PermalinkError> {
  try {
    await decodePermalink(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(PermalinkError);
    return error as PermalinkError;
  }
  throw new Error(`decoding ${payload.slice(0, 40)} succeeded`);
}

describe("base64url", () => {
  it("matches Node's base64url for every length remainder and byte value", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 9; n++) {
      const bytes = all.subarray(250 - n, 250);
      expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
    expect(fromBase64Url(Buffer.from(all).toString("base64url"))).toEqual(all);
  });
});

describe("encodePermalink / decodePermalink", () => {
  it("round-trips minimal and rich traces, unicode and markup included", async () => {
    for (const trace of [minimal, full]) {
      const payload = await encodePermalink(trace);
      expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(await decodePermalink(payload)).toEqual(trace);
    }
  });

  it("writes deflate-raw that Node's zlib reads back to the trace's JSON", async () => {
    const payload = await encodePermalink(full);
    const json = inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8");
    expect(JSON.parse(json)).toEqual(full);
  });

  it("reads a payload that Node's zlib compressed", async () => {
    expect(await decodePermalink(zlibPayload(full))).toEqual(full);
  });

  it("builds a URL on the app's base, dropping any hash it had", async () => {
    const url = await permalinkUrl("https://example.org/studio/#/traces", full);
    expect(url.startsWith("https://example.org/studio/#/t/")).toBe(true);
    const payload = url.slice("https://example.org/studio/#/t/".length);
    expect(await decodePermalink(payload)).toEqual(full);
    expect(await permalinkUrl("http://127.0.0.1:4317/", minimal)).toBe(`http://127.0.0.1:4317/#/t/${await encodePermalink(minimal)}`);
  });

  it("refuses to encode a trace whose JSON passes 256 KiB", async () => {
    const big = { ...minimal, question: "x".repeat(MAX_PERMALINK_BYTES) };
    await expect(encodePermalink(big)).rejects.toMatchObject({ kind: "too-large" });
  });
});

describe("decodePermalink errors", () => {
  it("reports an empty payload", async () => {
    expect((await decodeError("")).kind).toBe("empty");
  });

  it("reports characters outside base64url and impossible lengths", async () => {
    const padded = Buffer.from(deflateRawSync(Buffer.from("{}"))).toString("base64");
    for (const bad of ["abc$def", "abc=", "a+b/", "abcd e", padded.endsWith("=") ? padded : `${padded}=`, "abcde"]) {
      const error = await decodeError(bad);
      expect(error.kind, bad).toBe("not-base64url");
      expect(error.message).toMatch(/damaged/);
    }
    expect((await decodeError("abc$")).message).toContain('character 4 is "$"');
  });

  it("reports data that is not deflate-raw, or a stream cut short", async () => {
    expect((await decodeError(Buffer.from("this is not compressed at all").toString("base64url"))).kind).toBe("not-deflate-raw");
    const whole = deflateRawSync(Buffer.from(JSON.stringify(full)));
    expect((await decodeError(whole.subarray(0, whole.length - 8).toString("base64url"))).kind).toBe("not-deflate-raw");
  });

  it("reports JSON that is broken or not UTF-8", async () => {
    expect((await decodeError(zlibPayload('{"v":1,'))).kind).toBe("not-json");
    expect((await decodeError(deflateRawSync(Buffer.from([0x22, 0xff, 0xfe, 0x22])).toString("base64url"))).kind).toBe("not-json");
  });

  it("reports JSON that is not a Trace v1, naming the problem", async () => {
    const noQuestion = await decodeError(zlibPayload({ ...minimal, question: 7 }));
    expect(noQuestion.kind).toBe("not-trace");
    expect(noQuestion.message).toContain("the trace has no question");
    expect((await decodeError(zlibPayload([1, 2]))).kind).toBe("not-trace");
    expect((await decodeError(zlibPayload({ ...minimal, v: 0 }))).kind).toBe("not-trace");
    expect((await decodeError(zlibPayload({ ...minimal, segments: [{ kind: "html", text: "<b>" }] }))).kind).toBe("not-trace");
  });

  it("says a future version was made by a newer TAPO Studio", async () => {
    const error = await decodeError(zlibPayload({ ...minimal, v: 2, extra: { anything: true } }));
    expect(error.kind).toBe("newer-version");
    expect(error.message).toContain("made by a newer TAPO Studio");
  });

  it("refuses a highly compressible payload over 256 KiB, and accepts one just under", async () => {
    const over = zlibPayload({ ...minimal, question: "a".repeat(MAX_PERMALINK_BYTES + 10) });
    expect(over.length).toBeLessThan(2000);
    const error = await decodeError(over);
    expect(error.kind).toBe("too-large");
    expect(error.message).toContain("256 KiB");
    const overhead = JSON.stringify({ ...minimal, question: "" }).length;
    const under: Trace = { ...minimal, question: "a".repeat(MAX_PERMALINK_BYTES - overhead) };
    expect(JSON.stringify(under).length).toBe(MAX_PERMALINK_BYTES);
    expect(await decodePermalink(zlibPayload(under))).toEqual(under);
  });
});

describe("inflateRaw", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("stops a zip bomb early instead of inflating it in full", async () => {
    // 1 GiB of zeros in about 1 MiB: one fully flushed block of 1 MiB of zeros, repeated (each flush resets the
    // dictionary, so copies chain), then an empty final block. Count how much the inflater is fed before it stops at 1 MiB.
    const block = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
    const bomb = Buffer.concat([...Array<Buffer>(1024).fill(block), deflateRawSync(Buffer.alloc(0))]);
    expect(inflateRawSync(Buffer.concat([block, block, deflateRawSync(Buffer.alloc(0))])).length).toBe(2 * 1024 * 1024);
    const Real = globalThis.DecompressionStream;
    let fed = 0;
    class CountingDecompressionStream {
      readonly readable: ReadableStream<Uint8Array>;
      readonly writable: WritableStream<Uint8Array>;
      constructor(format: CompressionFormat) {
        const real = new Real(format);
        const writer = real.writable.getWriter();
        this.readable = real.readable;
        this.writable = new WritableStream<Uint8Array>({
          write: (chunk) => {
            fed += chunk.byteLength;
            return writer.write(chunk as Uint8Array<ArrayBuffer>);
          },
          close: () => writer.close(),
          abort: (reason) => writer.abort(reason),
        });
      }
    }
    vi.stubGlobal("DecompressionStream", CountingDecompressionStream);
    await expect(inflateRaw(new Uint8Array(bomb), 1024 * 1024)).rejects.toBeInstanceOf(InflateLimitError);
    expect(fed).toBeGreaterThan(0);
    expect(fed).toBeLessThan(bomb.length / 16);
  });

  it("returns the whole output when it stays within the limit", async () => {
    const data = Buffer.from("abc".repeat(100_000));
    expect(Buffer.from(await inflateRaw(new Uint8Array(deflateRawSync(data)), data.length)).equals(data)).toBe(true);
    await expect(inflateRaw(new Uint8Array(deflateRawSync(data)), data.length - 1)).rejects.toBeInstanceOf(InflateLimitError);
  });
});
