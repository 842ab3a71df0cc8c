// GET a JSON document from a web search backend with a time limit and an
// optional caller's AbortSignal. Every failure becomes a SearchBackendError
// whose message can go straight to the model; nothing here can hang.

import { SearchBackendError } from "./types.ts";

/** Default time limit for one backend request. */
export const DEFAULT_BACKEND_TIMEOUT_MS = 5000;

function describeCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "";
  return inner && inner !== e.message ? `${e.message}: ${inner}` : e.message;
}

/**
 * Fetches `url` and parses its body as JSON.
 * @param timeoutMs limit for the whole request, body included.
 * @param signal the caller's cancel; aborting it rejects with failure "aborted".
 * @throws SearchBackendError "timeout" | "unreachable" | "http" | "format" | "aborted".
 */
export async function fetchJson(url: string, timeoutMs = DEFAULT_BACKEND_TIMEOUT_MS, signal?: AbortSignal): Promise<unknown> {
  const host = new URL(url).host;
  if (signal?.aborted) throw new SearchBackendError("aborted", "search cancelled");
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
    } catch (e) {
      throw failure(e, "could not connect to " + host);
    }
    if (!res.ok) {
      throw new SearchBackendError("http", `search backend error: ${host} answered HTTP ${res.status} ${res.statusText}`.trim());
    }
    let body: string;
    try {
      body = await res.text();
    } catch (e) {
      throw failure(e, "the reply from " + host + " was cut off");
    }
    try {
      return JSON.parse(body);
    } catch {
      throw new SearchBackendError("format", `search backend error: ${host} did not answer with JSON (is the address right, and JSON output enabled?)`);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }

  function failure(e: unknown, what: string): SearchBackendError {
    if (e instanceof SearchBackendError) return e;
    if (timedOut) return new SearchBackendError("timeout", `search backend unreachable: no reply from ${host} within ${timeoutMs} ms`);
    if (signal?.aborted) return new SearchBackendError("aborted", "search cancelled");
    return new SearchBackendError("unreachable", `search backend unreachable: ${what} (${describeCause(e)})`);
  }
}
