// ByteSources over HTTP(S): a file on a server that answers Range requests
// (the Hugging Face Hub's resolve URLs, a URL the user typed, a folder served by
// the command line). Each read is one `Range: bytes=a-b` GET answered 206; the
// bytes land in a buffer of exactly the asked length, so a cut or short body is
// retried (with backoff) and never passed on as if it were the whole range.
import { TruncatedFileError, type ByteSource } from "../io/source";
import { LoadCancelledError, throwIfCancelled } from "../loader/load_progress";

export type HttpOptions = {
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Name for messages (default: the URL's last path segment). */
  name?: string;
  /** Attempts after the first for a cut connection, short body or 5xx/429 answer (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (default 300). */
  retryDelayMs?: number;
};

/** The server answered 404 (or 410) for the URL. */
export class HttpNotFoundError extends Error {
  constructor(readonly url: string, status: number) {
    super(`not found: ${url} (HTTP ${status}). Check the address, or that the file exists at this revision.`);
    this.name = "HttpNotFoundError";
  }
}

/** The server refused access (401/403): a private or gated file. */
export class HttpAccessError extends Error {
  constructor(readonly url: string, status: number) {
    super(
      `access denied: ${url} (HTTP ${status}). The file is private or gated; download it yourself and drop the files in instead.`,
    );
    this.name = "HttpAccessError";
  }
}

/** The server ignores Range headers (answers 200 with the whole file), so reads deep inside a file are impossible. */
export class RangeNotSupportedError extends Error {
  constructor(readonly url: string) {
    super(
      `the server of ${url} ignores Range requests (it answered 200 with the whole file to a ranged request). ` +
        "TAPO Studio reads model files piece by piece: serve them from a server with Range support, " +
        "or download the file and drop it into the page.",
    );
    this.name = "RangeNotSupportedError";
  }
}

/** The read failed after every retry (network down, connection cut each time, server error). */
export class HttpReadError extends Error {
  constructor(readonly url: string, what: string, attempts: number, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${what} of ${url} failed after ${attempts} attempts (${detail}). Check the connection and try again.`);
    this.name = "HttpReadError";
  }
}

/** A failure worth another attempt (cut connection, short body, 5xx, 429). */
class TransientError extends Error {}

function fileNameOf(url: string): string {
  try {
    const path = new URL(url, "http://x/").pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1)) || url;
  } catch {
    return url;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new LoadCancelledError());
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Throws the typed error for a non-success status (404, 401/403, transient 5xx/429, anything else). */
function checkStatus(url: string, res: Response): void {
  if (res.status === 404 || res.status === 410) throw new HttpNotFoundError(url, res.status);
  if (res.status === 401 || res.status === 403) throw new HttpAccessError(url, res.status);
  if (res.status === 429 || res.status >= 500) throw new TransientError(`HTTP ${res.status}`);
  if (res.status !== 200 && res.status !== 206) throw new Error(`${url} answered HTTP ${res.status} ${res.statusText}`);
}

/** "bytes a-b/total" -> {start, end, total}; total is NaN when "*". */
function parseContentRange(value: string | null): { start: number; end: number; total: number } | undefined {
  const m = value ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === "*" ? NaN : Number(m[3]) };
}

/**
 * Reads exactly `length` bytes of a body into a new buffer, skipping `skip` bytes first;
 * cancels the rest of the body. A body that ends early is a TransientError (the connection was cut).
 * A body that holds exactly what was asked is read to its end instead: cancelling a response whose
 * last byte has arrived still aborts the request (every such read showed as failed in the network log).
 */
async function readExactly(res: Response, skip: number, length: number): Promise<Uint8Array> {
  const exact = Number(res.headers.get("content-length")) === skip + length;
  const out = new Uint8Array(length);
  if (!res.body) throw new TransientError("the response has no body");
  const reader = res.body.getReader();
  let skipped = 0;
  let filled = 0;
  try {
    while (filled < length) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new TransientError(`the connection was cut after ${filled} of ${length} bytes (${String(error)})`);
      }
      if (chunk.done) throw new TransientError(`the body ended after ${filled} of ${length} bytes`);
      let bytes = chunk.value;
      if (skipped < skip) {
        const drop = Math.min(skip - skipped, bytes.length);
        skipped += drop;
        bytes = bytes.subarray(drop);
      }
      const take = Math.min(bytes.length, length - filled);
      out.set(bytes.subarray(0, take), filled);
      filled += take;
    }
    if (exact && (await reader.read()).done) return out;
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return out;
}

type Fetcher = typeof fetch;

/** Runs `attempt` with retries on TransientError and network TypeErrors; other errors pass through. */
async function withRetries<T>(
  url: string,
  what: string,
  opts: Required<Pick<HttpOptions, "retries" | "retryDelayMs">>,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i <= opts.retries; i++) {
    throwIfCancelled(signal);
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw new LoadCancelledError();
      const transient = error instanceof TransientError || error instanceof TypeError;
      if (!transient) throw error;
      last = error;
      if (i < opts.retries) await sleep(opts.retryDelayMs * 2 ** i, signal);
    }
  }
  throw new HttpReadError(url, what, opts.retries + 1, last);
}

/** Bodies read to their end rather than cancelled when a probe did not need them (an SPA server's index.html). */
const SMALL_BODY = 64 * 1024;

/** Learns a URL's size: HEAD, else (no Content-Length, or HEAD refused) a 0-0 Range GET. */
async function probeSize(url: string, fetcher: Fetcher, signal?: AbortSignal): Promise<number> {
  const head = await fetcher(url, { method: "HEAD", signal });
  if (head.ok) {
    const length = Number(head.headers.get("content-length"));
    const encoded = head.headers.get("content-encoding");
    if (head.headers.has("content-length") && Number.isFinite(length) && (!encoded || encoded === "identity")) {
      return length;
    }
  } else if (head.status !== 405 && head.status !== 501) {
    checkStatus(url, head);
  }
  const res = await fetcher(url, { headers: { Range: "bytes=0-0" }, signal });
  checkStatus(url, res);
  if (res.status === 206) {
    await res.arrayBuffer().catch(() => undefined); // one byte: read it rather than abort the request
    const range = parseContentRange(res.headers.get("content-range"));
    if (!range || !Number.isFinite(range.total)) {
      throw new Error(`${url} answered a range request without a total size (Content-Range: ${res.headers.get("content-range")})`);
    }
    return range.total;
  }
  // 200: the server ignored Range. Its Content-Length is the size; a small body is read (cheaper than an
  // aborted request), a large one is not.
  const length = Number(res.headers.get("content-length"));
  if (res.headers.has("content-length") && length <= SMALL_BODY) await res.arrayBuffer().catch(() => undefined);
  else res.body?.cancel().catch(() => undefined);
  if (!res.headers.has("content-length") || !Number.isFinite(length)) throw new RangeNotSupportedError(url);
  return length;
}

/**
 * A ByteSource over a URL whose size is already known (e.g. from the Hub's file listing).
 * read(offset, length) sends `Range: bytes=offset-(offset+length-1)` and returns exactly `length` bytes.
 * A 200 answer (Range ignored) is accepted only for reads starting at byte 0 (the prefix is read and the rest
 * of the body cancelled); deeper reads throw RangeNotSupportedError.
 */
export function httpSourceOfSize(url: string, size: number, opts: HttpOptions = {}): ByteSource {
  const fetcher = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const name = opts.name ?? fileNameOf(url);
  const retry = { retries: opts.retries ?? 4, retryDelayMs: opts.retryDelayMs ?? 300 };
  return {
    name,
    size,
    async read(offset, length, signal) {
      if (offset < 0 || length < 0 || !Number.isInteger(offset) || !Number.isInteger(length)) {
        throw new RangeError(`${name}: bad range ${offset}+${length}`);
      }
      if (offset + length > size) throw new TruncatedFileError(name, offset + length, size);
      if (length === 0) return new Uint8Array(0);
      const last = offset + length - 1;
      return withRetries(url, `reading bytes ${offset}-${last}`, retry, signal, async () => {
        const res = await fetcher(url, { headers: { Range: `bytes=${offset}-${last}` }, signal });
        checkStatus(url, res);
        if (res.status === 200) {
          if (offset !== 0) {
            res.body?.cancel().catch(() => undefined);
            throw new RangeNotSupportedError(url);
          }
          return readExactly(res, 0, length);
        }
        const range = parseContentRange(res.headers.get("content-range"));
        if (range && (range.start > offset || range.end < last)) {
          res.body?.cancel().catch(() => undefined);
          throw new Error(`${url} answered bytes ${range.start}-${range.end} to a request for ${offset}-${last}`);
        }
        if (range && Number.isFinite(range.total) && range.total !== size) {
          res.body?.cancel().catch(() => undefined);
          throw new Error(
            `${url} is now ${range.total} bytes but was ${size} when first seen: the file changed on the server; start the load again`,
          );
        }
        return readExactly(res, range ? offset - range.start : 0, length);
      });
    },
  };
}

/**
 * A ByteSource over a URL: learns the size (HEAD, or a `bytes=0-0` GET), then reads ranges.
 * Throws HttpNotFoundError (404), HttpAccessError (401/403), HttpReadError (network failure after retries).
 */
export async function httpSource(url: string, opts: HttpOptions = {}): Promise<ByteSource> {
  const fetcher = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const retry = { retries: opts.retries ?? 4, retryDelayMs: opts.retryDelayMs ?? 300 };
  const size = await withRetries(url, "asking the size", retry, undefined, () => probeSize(url, fetcher));
  return httpSourceOfSize(url, size, opts);
}
