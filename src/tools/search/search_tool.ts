// The search tool of TAPO rollouts: takes the text the policy wrote inside
// <search>…</search> and returns what goes inside <response>…</response>.
// Rejects queries under 3 or over 300 characters, asks the backend for the
// top k hits (default 3; TAPO's reference used 1), formats them as
// `Doc i: (Title: …) snippet`, and caches query -> response per backend
// (bounded, least recently used dropped first; identical concurrent queries
// share one backend call). Backend failures become error responses the model
// sees; they are not cached. Identical concurrent queries share one request,
// so one caller's abort cancels it for the others too (rollouts of a run
// share one cancel, so this does not arise in practice).

import type { ToolResult } from "../../protocol/tools.ts";
import { DEFAULT_SNIPPET_CHARS, formatSearchResults, queryRejection } from "./format_results.ts";
import { SearchBackendError, type SearchBackend } from "./types.ts";

export type SearchToolOptions = {
  /** Hits per query (TAPO reference: 1; Search-R1: 3). */
  topK?: number;
  /** Longest snippet per hit, in characters. */
  snippetChars?: number;
  minQueryChars?: number;
  maxQueryChars?: number;
  /** Most cached responses kept (all backends together). */
  cacheEntries?: number;
};

export const DEFAULT_SEARCH_OPTIONS: Required<SearchToolOptions> = {
  topK: 3,
  snippetChars: DEFAULT_SNIPPET_CHARS,
  minQueryChars: 3,
  maxQueryChars: 300,
  cacheEntries: 1024,
};

/** Runs search calls against one backend at a time (switchable), with a response cache. */
export class SearchTool {
  readonly options: Required<SearchToolOptions>;
  private current: SearchBackend;
  private readonly cache = new Map<string, Promise<string>>();
  /** Calls answered from the cache / by the backend, since construction. */
  readonly stats = { cacheHits: 0, backendCalls: 0 };

  constructor(backend: SearchBackend, options: SearchToolOptions = {}) {
    this.current = backend;
    this.options = { ...DEFAULT_SEARCH_OPTIONS, ...options };
    if (!(this.options.topK >= 1)) throw new RangeError(`topK must be at least 1, got ${this.options.topK}`);
  }

  get backend(): SearchBackend {
    return this.current;
  }

  /** Switches backend; cached answers stay keyed by their backend's id. */
  set backend(backend: SearchBackend) {
    this.current = backend;
  }

  clearCache(): void {
    this.cache.clear();
  }

  /**
   * One search call.
   * @param query the text inside <search>…</search> (whitespace is collapsed first).
   * @param signal cancels a backend request in flight.
   * @returns the response text; `error` is "rejected", "timeout", "unreachable", "http", "format" or "aborted" when the call failed.
   */
  async run(query: string, signal?: AbortSignal): Promise<ToolResult> {
    const start = performance.now();
    const ms = () => Math.round(performance.now() - start);
    const q = query.replace(/\s+/g, " ").trim();
    const rejection = queryRejection(q, this.options.minQueryChars, this.options.maxQueryChars);
    if (rejection) return { response: rejection, error: "rejected", ms: ms() };

    const backend = this.current;
    const key = `${backend.id}\u0000${q}`;
    let pending = this.cache.get(key);
    if (pending) {
      this.stats.cacheHits++;
      // Refresh its place in the least-recently-used order.
      this.cache.delete(key);
      this.cache.set(key, pending);
    } else {
      this.stats.backendCalls++;
      pending = backend.search(q, this.options.topK, signal).then((hits) => formatSearchResults(hits.slice(0, this.options.topK), this.options.snippetChars));
      this.remember(key, pending);
    }
    try {
      return { response: await pending, ms: ms() };
    } catch (e) {
      if (this.cache.get(key) === pending) this.cache.delete(key);
      if (e instanceof SearchBackendError) return { response: e.message, error: e.failure, ms: ms() };
      if (signal?.aborted) return { response: "search cancelled", error: "aborted", ms: ms() };
      return { response: `search backend error: ${(e as Error).message ?? String(e)}`, error: "backend", ms: ms() };
    }
  }

  private remember(key: string, value: Promise<string>): void {
    this.cache.set(key, value);
    while (this.cache.size > this.options.cacheEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
