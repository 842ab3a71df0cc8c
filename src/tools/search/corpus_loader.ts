// Loads corpora into a LocalIndex: the bundled fictional-world corpus served
// from public/corpus/, and files people upload. Works in the browser and in
// Node (which reads the bundled file from disk).

import { BUNDLED_CORPUS_FILE, BUNDLED_CORPUS_URL_PATH } from "../../tasks/world/bundled.ts";
import { parseCorpusJsonl, type ParsedCorpus } from "./corpus_file.ts";
import { LocalIndex } from "./local_index.ts";

/** Address of the bundled corpus under the app's base URL (Vite's BASE_URL; "/" outside Vite). */
export function bundledCorpusUrl(base: string = import.meta.env?.BASE_URL ?? "/"): string {
  return (base.endsWith("/") ? base : base + "/") + BUNDLED_CORPUS_URL_PATH;
}

/**
 * Fetches the bundled corpus (browser) and indexes it.
 * @throws Error when the file cannot be fetched; EmptyCorpusError when it is empty.
 */
export async function loadBundledIndex(url = bundledCorpusUrl(), signal?: AbortSignal): Promise<LocalIndex> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`could not load the bundled search corpus from ${url}: HTTP ${res.status}; run \`npm run build:corpus\` and rebuild the app`);
  return LocalIndex.fromDocs(parseCorpusJsonl(await res.text(), url).docs);
}

/** Reads the bundled corpus from the repository (Node: CLI and tests) and indexes it. */
export async function loadBundledIndexFromDisk(root = "."): Promise<LocalIndex> {
  const { readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const path = join(root, BUNDLED_CORPUS_FILE);
  return LocalIndex.fromDocs(parseCorpusJsonl(await readFile(path, "utf8"), path).docs);
}

/**
 * Parses an uploaded corpus and adds its documents to `index`.
 * @returns the parse report (documents, skipped rows with line numbers) and how many were new to the index.
 * @throws EmptyCorpusError when the file has no usable row.
 */
export function addUploadedCorpus(index: LocalIndex, text: string, fileName: string): ParsedCorpus & { added: number } {
  const parsed = parseCorpusJsonl(text, fileName);
  return { ...parsed, added: index.add(parsed.docs) };
}
