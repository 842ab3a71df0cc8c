// Checks reading an opened traces.jsonl file: a file over the size cap is refused before any byte is read, and
// the streamed reader gives what parseTracesJsonl gives for the same text, whatever the chunk boundaries. Node only, no GPU.
import { describe, expect, it } from "vitest";
import type { Trace } from "../protocol/trace";
import { freshSeed, mulberry32 } from "../util/random";
import { parseTracesJsonl } from "./jsonl";
import { MAX_TRACES_FILE_BYTES, TracesFileTooLargeError, readTracesFile } from "./read_file";

function trace(step: number, question: string): Trace {
  return { v: 1, model: "tiny", step, question, segments: [{ kind: "answer", text: "Grüße 🙂" }], created: "2025-01-01T00:00:00.000Z" };
}

/** A file whose stream yields `bytes` cut at the given offsets (mid-line and mid-character included). */
function chunkedFile(bytes: Uint8Array, cuts: number[]): Pick<Blob, "size" | "stream"> {
  const ends = [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  return {
    size: bytes.length,
    stream: () => {
      let at = 0;
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === ends.length) return controller.close();
          const end = ends[i++]!;
          controller.enqueue(bytes.slice(at, end));
          at = end;
        },
      }) as ReturnType<Blob["stream"]>;
    },
  };
}

describe("readTracesFile", () => {
  it("refuses a file over the cap before reading it, naming the cap and how to open part of it", async () => {
    let streamed = false;
    const size = MAX_TRACES_FILE_BYTES + 1;
    const file = {
      size,
      stream: () => {
        streamed = true;
        throw new Error("test: the file was read");
      },
    };
    const error = await readTracesFile(file, "run.jsonl").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TracesFileTooLargeError);
    expect((error as Error).message).toBe(
      `run.jsonl is 256.0 MiB (${size} bytes), over the 256 MiB limit for a traces file opened here. ` +
        "Open part of it, e.g. the last 5000 traces: `tail -n 5000 run.jsonl > last.jsonl`.",
    );
    expect(streamed).toBe(false);
  });

  const seed = freshSeed();
  it(`gives what parseTracesJsonl gives, wherever the chunks are cut (seed ${seed})`, async () => {
    const rand = mulberry32(seed);
    const lines = [JSON.stringify(trace(0, "première")), "", "{broken", JSON.stringify(trace(1, "二")) + "\r", "  ", JSON.stringify({ ...trace(2, "x"), v: 3 }), JSON.stringify(trace(3, "last"))];
    const text = lines.join("\n");
    const bytes = new TextEncoder().encode(text);
    const expected = parseTracesJsonl(text);
    expect(expected.traces).toHaveLength(3);
    expect(expected.skipped.map((s) => s.line)).toEqual([3, 6]);
    for (let round = 0; round < 20; round++) {
      const cuts = Array.from({ length: Math.floor(rand() * 12) }, () => Math.floor(rand() * bytes.length));
      expect(await readTracesFile(chunkedFile(bytes, cuts), "t.jsonl"), `cuts ${cuts.join(",")}`).toEqual(expected);
    }
    expect(await readTracesFile(new Blob([text + "\n"]), "t.jsonl")).toEqual(parseTracesJsonl(text + "\n"));
  });
});
