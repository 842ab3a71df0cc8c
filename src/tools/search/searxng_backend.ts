// Search backend: any endpoint speaking SearXNG's JSON format —
// GET <base>/search?q=…&format=json -> {results: [{title, content, url}, …]}.
// (A SearXNG instance must list "json" among its enabled output formats.)

import { DEFAULT_BACKEND_TIMEOUT_MS, fetchJson } from "./http_json.ts";
import { SearchBackendError, type SearchBackend, type SearchHit } from "./types.ts";
import { htmlToText } from "./web_text.ts";

export type SearxngBackendOptions = {
  /** The instance's base address, e.g. "http://127.0.0.1:8888" (the backend appends /search). */
  baseUrl: string;
  timeoutMs?: number;
};

/** SearXNG (or compatible) metasearch; hits carry title, content and url. */
export class SearxngBackend implements SearchBackend {
  readonly id: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: SearxngBackendOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
    this.id = `searxng:${this.baseUrl}`;
  }

  /** The request address for a query. */
  requestUrl(query: string): string {
    const url = new URL(`${this.baseUrl}/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "json");
    return url.toString();
  }

  async search(query: string, k: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const reply = await fetchJson(this.requestUrl(query), this.timeoutMs, signal);
    return parseSearxngReply(reply, this.baseUrl).slice(0, k);
  }
}

/**
 * Hits from a SearXNG JSON reply; results without a title are skipped.
 * @throws SearchBackendError "format" when there is no results list.
 */
export function parseSearxngReply(reply: unknown, baseUrl: string): SearchHit[] {
  const list = (reply as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) {
    throw new SearchBackendError("format", `search backend error: ${baseUrl} did not answer in SearXNG's JSON format (no "results" list)`);
  }
  const hits: SearchHit[] = [];
  for (const item of list as { title?: unknown; content?: unknown; url?: unknown }[]) {
    if (typeof item.title !== "string" || item.title.trim() === "") continue;
    hits.push({
      title: htmlToText(item.title),
      text: typeof item.content === "string" ? htmlToText(item.content) : "",
      url: typeof item.url === "string" ? item.url : undefined,
    });
  }
  return hits;
}
