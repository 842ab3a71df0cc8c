// deflate-raw (RFC 1951) through the platform's CompressionStream / DecompressionStream
// (browsers and Node 20), with an inflater that stops as soon as its output passes a limit,
// so a small "zip bomb" payload never gets inflated in full.

/** The inflater's output passed its limit; decompression was stopped there. */
export class InflateLimitError extends Error {
  override name = "InflateLimitError";
  constructor(readonly limit: number) {
    super(`decompressed data passes ${limit} bytes`);
  }
}

/** The input is not a complete deflate-raw stream. */
export class InflateFormatError extends Error {
  override name = "InflateFormatError";
}

/** Input is fed to the inflater in slices this long: deflate expands at most ~1032:1, so one slice adds at most ~0.5 MiB past the limit. */
const SLICE = 512;

async function collect(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) throw new InflateLimitError(limit);
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** `bytes` compressed as deflate-raw. */
export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  const out = await collect(stream.readable.getReader(), Number.POSITIVE_INFINITY);
  await written;
  return out;
}

/**
 * The bytes the deflate-raw stream `compressed` holds. Throws InflateLimitError as soon as more
 * than `limit` bytes come out (then cancels the stream), InflateFormatError when the input is not
 * deflate-raw or ends early.
 */
export async function inflateRaw(compressed: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  const feeding = (async () => {
    for (let at = 0; at < compressed.byteLength && !stopped; at += SLICE) {
      await writer.write(compressed.slice(at, at + SLICE));
    }
    if (!stopped) await writer.close();
  })();
  // The reader reports the feeding side's errors too; this keeps an unread rejection quiet.
  feeding.catch(() => undefined);
  try {
    return await collect(reader, limit);
  } catch (error) {
    stopped = true;
    void reader.cancel().catch(() => undefined);
    if (error instanceof InflateLimitError) throw error;
    throw new InflateFormatError(error instanceof Error ? error.message : String(error));
  }
}
