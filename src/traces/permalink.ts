// Trace permalinks (DESIGN.md): `<app url>#/t/<payload>`, payload = base64url without padding of
// deflate-raw (RFC 1951) of the trace's UTF-8 JSON. Decoding checks each layer and fails with a
// PermalinkError whose `kind` says which layer broke; it never inflates past 256 KiB.
import type { Trace } from "../protocol/trace";
import { base64UrlProblem, fromBase64Url, toBase64Url } from "./base64url";
import { deflateRaw, InflateLimitError, inflateRaw } from "./deflate_raw";
import { checkTrace } from "./trace_check";

/** The most decoded JSON a permalink may hold. */
export const MAX_PERMALINK_BYTES = 256 * 1024;

export type PermalinkErrorKind = "empty" | "not-base64url" | "not-deflate-raw" | "too-large" | "not-json" | "not-trace" | "newer-version";

/** Why a permalink payload could not be read (or a trace could not be made into one). */
export class PermalinkError extends Error {
  override name = "PermalinkError";
  constructor(
    readonly kind: PermalinkErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const ASK_AGAIN = "Ask whoever shared it to copy the permalink again.";

/** An underlying error's message, without a trailing period (it goes inside parentheses). */
function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.+$/, "");
}

/** The payload (the part after `#/t/`) for `trace`. Throws PermalinkError("too-large") when its JSON passes 256 KiB. */
export async function encodePermalink(trace: Trace): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(trace));
  if (json.byteLength > MAX_PERMALINK_BYTES) {
    throw new PermalinkError(
      "too-large",
      `This trace is ${Math.ceil(json.byteLength / 1024)} KiB as JSON; permalinks hold at most 256 KiB. Share the run's traces.jsonl instead.`,
    );
  }
  return toBase64Url(await deflateRaw(json));
}

/** `base` (the app's URL; any `#…` part is dropped) with the permalink route for `trace`. */
export async function permalinkUrl(base: string, trace: Trace): Promise<string> {
  const hash = base.indexOf("#");
  return `${hash >= 0 ? base.slice(0, hash) : base}#/t/${await encodePermalink(trace)}`;
}

/** The trace a permalink payload holds; throws PermalinkError saying which layer is broken. */
export async function decodePermalink(payload: string): Promise<Trace> {
  if (payload === "") throw new PermalinkError("empty", `The permalink holds no trace: nothing follows "#/t/". ${ASK_AGAIN}`);
  const notBase64 = base64UrlProblem(payload);
  if (notBase64 !== undefined) throw new PermalinkError("not-base64url", `The permalink is damaged: ${notBase64}. ${ASK_AGAIN}`);
  let json: Uint8Array;
  try {
    json = await inflateRaw(fromBase64Url(payload), MAX_PERMALINK_BYTES);
  } catch (error) {
    if (error instanceof InflateLimitError) {
      throw new PermalinkError("too-large", "The permalink's trace is over 256 KiB once decompressed, more than TAPO Studio opens from a link. Share the run's traces.jsonl instead.");
    }
    throw new PermalinkError("not-deflate-raw", `The permalink is damaged: its data is not deflate-raw compressed (${reason(error)}). ${ASK_AGAIN}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw new PermalinkError("not-json", `The permalink decompresses to something that is not UTF-8 JSON (${reason(error)}). ${ASK_AGAIN}`);
  }
  const check = checkTrace(value);
  if (!check.ok) throw new PermalinkError(check.kind, `The permalink cannot be shown: ${check.message}`);
  return check.trace;
}
