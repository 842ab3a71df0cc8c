// The search tool's public API.

export { createSearchBackend, parseBackendSpec, UnknownBackendError, type SearchBackendSpec } from "./backends.ts";
export { describeParsedCorpus, EmptyCorpusError, parseCorpusJsonl, type ParsedCorpus, type SkippedRow } from "./corpus_file.ts";
export { addUploadedCorpus, bundledCorpusUrl, loadBundledIndex, loadBundledIndexFromDisk } from "./corpus_loader.ts";
export { DEFAULT_SNIPPET_CHARS, formatSearchResults, NO_RESULTS_TEXT, queryRejection, trimSnippet } from "./format_results.ts";
export { DEFAULT_BACKEND_TIMEOUT_MS, fetchJson } from "./http_json.ts";
export { LocalIndex, LocalSearchBackend } from "./local_index.ts";
export { DEFAULT_SEARCH_OPTIONS, SearchTool, type SearchToolOptions } from "./search_tool.ts";
export { PYTHON_UNAVAILABLE_TEXT, SearchToolRunner } from "./search_runner.ts";
export { parseSearxngReply, SearxngBackend, type SearxngBackendOptions } from "./searxng_backend.ts";
export { SearchBackendError, type SearchBackend, type SearchFailure, type SearchHit } from "./types.ts";
export { parseWikipediaReply, WikipediaBackend, WIKIPEDIA_API, type WikipediaBackendOptions } from "./wikipedia_backend.ts";
