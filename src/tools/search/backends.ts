// Choosing a search backend by name: "local" (the BM25 index), "wikipedia"
// (Wikipedia's search API) or "searxng:<base url>" — the spellings the CLI's
// `--backend` and the UI settings use.

import { LocalSearchBackend, type LocalIndex } from "./local_index.ts";
import { SearxngBackend } from "./searxng_backend.ts";
import type { SearchBackend } from "./types.ts";
import { WikipediaBackend } from "./wikipedia_backend.ts";

export type SearchBackendSpec =
  | { kind: "local" }
  | { kind: "wikipedia"; endpoint?: string; timeoutMs?: number }
  | { kind: "searxng"; baseUrl: string; timeoutMs?: number };

/** The backend name was not one of local, wikipedia, searxng:<url>. */
export class UnknownBackendError extends Error {
  constructor(name: string) {
    super(`unknown search backend "${name}": use "local", "wikipedia" or "searxng:<base url>" (e.g. searxng:http://127.0.0.1:8888)`);
    this.name = "UnknownBackendError";
  }
}

/** "local" | "wikipedia" | "wikipedia:<api.php url>" | "searxng:<base url>" -> a spec. */
export function parseBackendSpec(name: string): SearchBackendSpec {
  const trimmed = name.trim();
  if (trimmed === "local") return { kind: "local" };
  if (trimmed === "wikipedia") return { kind: "wikipedia" };
  const colon = trimmed.indexOf(":");
  const head = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? "" : trimmed.slice(colon + 1);
  if (head === "wikipedia" && URL.canParse(rest)) return { kind: "wikipedia", endpoint: rest };
  if (head === "searxng" && URL.canParse(rest)) return { kind: "searxng", baseUrl: rest };
  throw new UnknownBackendError(name);
}

/**
 * A backend for a spec.
 * @param localIndex the index a "local" spec searches (required for it).
 */
export function createSearchBackend(spec: SearchBackendSpec, localIndex?: LocalIndex): SearchBackend {
  switch (spec.kind) {
    case "local":
      if (!localIndex) throw new Error("the local search backend needs an index: load the bundled corpus (loadCorpusIndex) first");
      return new LocalSearchBackend(localIndex);
    case "wikipedia":
      return new WikipediaBackend({ endpoint: spec.endpoint, timeoutMs: spec.timeoutMs });
    case "searxng":
      return new SearxngBackend({ baseUrl: spec.baseUrl, timeoutMs: spec.timeoutMs });
  }
}
