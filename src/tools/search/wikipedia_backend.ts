// Search backend: Wikipedia's public search API (MediaWiki `list=search`).
// Browsers may call it directly because `origin=*` makes the reply carry
// CORS headers. Reply shape: {query: {search: [{title, snippet, pageid, …}]}},
// or {error: {code, info}}; snippets are HTML with <span class="searchmatch">.

import { DEFAULT_BACKEND_TIMEOUT_MS, fetchJson } from "./http_json.ts";
import { SearchBackendError, type SearchBackend, type SearchHit } from "./types.ts";
import { htmlToText } from "./web_text.ts";

export const WIKIPEDIA_API = "https://en.wikipedia.org/w/api.php";

export type WikipediaBackendOptions = {
  /** The api.php address (another language's Wikipedia, or a test server). */
  endpoint?: string;
  timeoutMs?: number;
};

/** Wikipedia full-text search; hits carry the page title and its search snippet. */
export class WikipediaBackend implements SearchBackend {
  readonly id: string;
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(options: WikipediaBackendOptions = {}) {
    this.endpoint = options.endpoint ?? WIKIPEDIA_API;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
    this.id = `wikipedia:${this.endpoint}`;
  }

  /** The request address for a query (k results). */
  requestUrl(query: string, k: number): string {
    const url = new URL(this.endpoint);
    const params = { action: "query", list: "search", srsearch: query, srlimit: String(k), format: "json", origin: "*" };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }

  async search(query: string, k: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const reply = await fetchJson(this.requestUrl(query, k), this.timeoutMs, signal);
    return parseWikipediaReply(reply, this.endpoint).slice(0, k);
  }
}

/**
 * Hits from a MediaWiki `list=search` reply.
 * @throws SearchBackendError "format" when the reply is an API error or has no query.search list.
 */
export function parseWikipediaReply(reply: unknown, endpoint: string): SearchHit[] {
  const r = reply as { error?: { code?: string; info?: string }; query?: { search?: unknown } } | null;
  if (r?.error) {
    throw new SearchBackendError("format", `search backend error: Wikipedia answered ${r.error.code ?? "an error"}: ${r.error.info ?? "no details"}`);
  }
  const list = r?.query?.search;
  if (!Array.isArray(list)) throw new SearchBackendError("format", `search backend error: ${endpoint} did not answer in MediaWiki's list=search format`);
  const base = new URL(endpoint);
  const hits: SearchHit[] = [];
  for (const item of list as { title?: unknown; snippet?: unknown; pageid?: unknown }[]) {
    if (typeof item.title !== "string") continue;
    const page = `${base.origin}/wiki/${encodeURIComponent(item.title.replace(/ /g, "_"))}`;
    hits.push({
      title: item.title,
      text: typeof item.snippet === "string" ? htmlToText(item.snippet) : "",
      id: typeof item.pageid === "number" ? String(item.pageid) : undefined,
      url: page,
    });
  }
  return hits;
}
