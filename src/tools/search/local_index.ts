// The local full-text index behind the embedded search backend: BM25 over
// documents' titles and texts, built with MiniSearch.
//
// Why MiniSearch (over Orama and wink-bm25-text-search):
// - scoring is BM25+ (BM25 with a lower bound on term-frequency
//   normalisation), with per-field boosts (the title counts double here);
// - small (a few kB gzipped), no dependencies, plain ES module that runs the
//   same in the browser, a worker and Node;
// - documents can be added after the index is built (uploaded corpora join
//   the bundled one) — wink-bm25 must be "consolidated" once and then is
//   frozen;
// - the index serialises to JSON (toJSON / loadJSON), so a large uploaded
//   corpus can be cached in OPFS instead of re-indexed;
// - Orama offers the same but is larger and async-first, which buys nothing
//   for a few thousand short documents.

import MiniSearch from "minisearch";
import type { CorpusDoc } from "../../tasks/world/types.ts";
import type { SearchBackend, SearchHit } from "./types.ts";

type Stored = { id: string; title: string; text: string };

const INDEX_OPTIONS = {
  fields: ["title", "text"],
  storeFields: ["title", "text"],
  searchOptions: { boost: { title: 2 } },
};

/** BM25 index of corpus documents (ids must be unique across everything added). */
export class LocalIndex {
  private readonly mini: MiniSearch<Stored>;

  constructor(mini?: MiniSearch<Stored>) {
    this.mini = mini ?? new MiniSearch<Stored>(INDEX_OPTIONS);
  }

  /** An index holding `docs`. */
  static fromDocs(docs: readonly CorpusDoc[]): LocalIndex {
    const index = new LocalIndex();
    index.add(docs);
    return index;
  }

  /** An index rebuilt from `toJSON()` output. */
  static fromJSON(json: string): LocalIndex {
    return new LocalIndex(MiniSearch.loadJSON<Stored>(json, INDEX_OPTIONS));
  }

  /**
   * Adds documents. Ids already in the index are skipped.
   * @returns how many documents were added.
   */
  add(docs: readonly CorpusDoc[]): number {
    const fresh = docs.filter((d) => !this.mini.has(d.id));
    this.mini.addAll(fresh.map((d) => ({ id: d.id, title: d.title, text: d.text })));
    return fresh.length;
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.mini.documentCount;
  }

  /**
   * The `k` best documents for `query` by BM25 (any query term may match), best first.
   * @returns hits with title, text, id and score; empty when no term matches.
   */
  search(query: string, k: number): SearchHit[] {
    return this.mini
      .search(query)
      .slice(0, k)
      .map((r) => ({ id: String(r.id), title: String(r.title), text: String(r.text), score: r.score }));
  }

  /** The index as JSON text (for caching). */
  toJSON(): string {
    return JSON.stringify(this.mini);
  }
}

/** A search backend over a LocalIndex. */
export class LocalSearchBackend implements SearchBackend {
  constructor(
    readonly index: LocalIndex,
    readonly id = "local",
  ) {}

  async search(query: string, k: number, signal?: AbortSignal): Promise<SearchHit[]> {
    signal?.throwIfAborted();
    return this.index.search(query, k);
  }
}
