// Shapes shared by the search backends (local index, Wikipedia, SearXNG) and
// the search tool: one hit, and the backend interface.

/** One search result as a backend returns it. */
export type SearchHit = {
  title: string;
  /** The text the snippet is cut from (a local document's text, a web result's summary). */
  text: string;
  /** The document id (local) or page address (web), when known. */
  id?: string;
  url?: string;
  score?: number;
};

/** A place to search. `id` keys the search tool's cache (two backends with one id share cached answers). */
export interface SearchBackend {
  readonly id: string;
  /**
   * Up to `k` hits for `query`, best first. Rejects with a SearchBackendError
   * when the backend cannot answer (unreachable, timed out, bad reply).
   */
  search(query: string, k: number, signal?: AbortSignal): Promise<SearchHit[]>;
}

/** Why a backend could not answer: the short error the tool reports alongside its text. */
export type SearchFailure = "unreachable" | "timeout" | "http" | "format" | "aborted";

/** A backend's failure, with a message fit to show the model ("search backend unreachable: …"). */
export class SearchBackendError extends Error {
  constructor(
    readonly failure: SearchFailure,
    message: string,
  ) {
    super(message);
    this.name = "SearchBackendError";
  }
}
