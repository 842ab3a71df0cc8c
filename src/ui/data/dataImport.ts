// The Data page's asynchronous actions: reading a dataset file or a Hugging
// Face dataset into a previewed draft (with progress and cancel), peeking at a
// file's column names for the field mapping, and counting the bundled search
// corpus. The File and the AbortController live here, not in the store.
import { CsvReader } from "../../tasks/import/csv";
import { detectFormat, importDatasetFile } from "../../tasks/import/dataset_file";
import { importHfDataset } from "../../tasks/import/hf_datasets_server";
import { parseCorpusJsonl } from "../../tools/search/corpus_file";
import { bundledCorpusUrl } from "../../tools/search/corpus_loader";
import { fieldMappingOf, setBundledCorpus, setDraft, useDataStore } from "./dataStore";

let chosenFile: File | undefined;
let running: AbortController | undefined;
/** Bumped by every import, so a slow earlier one cannot overwrite a later one's draft. */
let generation = 0;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The file chosen for import, if any. */
export function chosenImportFile(): File | undefined {
  return chosenFile;
}

/** Chooses a dataset file and reads it with the current field mapping. */
export async function chooseImportFile(file: File): Promise<void> {
  chosenFile = file;
  await readChosenFile();
}

/** Reads the chosen file again (after the mapping changed); the tasks in use stay as they are whatever happens. */
export async function readChosenFile(): Promise<void> {
  const file = chosenFile;
  if (!file) return;
  running?.abort();
  running = undefined;
  const mine = ++generation;
  setDraft({ status: "reading", origin: "file", label: file.name, rowsRead: 0 });
  try {
    const result = await importDatasetFile(file, { name: file.name, mapping: fieldMappingOf(useDataStore.getState().mapping) });
    if (mine === generation) setDraft({ status: "ready", origin: "file", label: file.name, result });
  } catch (error) {
    if (mine === generation) setDraft({ status: "error", origin: "file", label: file.name, message: message(error) });
  }
}

/** The label an HF import is shown under: "owner/name (config/split)". */
export function hfLabel(dataset: string, config: string, split: string): string {
  const parts = [config.trim(), split.trim()].filter((p) => p !== "");
  return parts.length > 0 ? `${dataset.trim()} (${parts.join("/")})` : dataset.trim();
}

/** Reads the HF form's dataset through the datasets server, page by page, into the draft. */
export async function importFromHf(): Promise<void> {
  const { hf, mapping } = useDataStore.getState();
  running?.abort();
  const abort = new AbortController();
  running = abort;
  const mine = ++generation;
  const label = hfLabel(hf.dataset, hf.config, hf.split);
  setDraft({ status: "reading", origin: "hf", label, rowsRead: 0 });
  try {
    const result = await importHfDataset({
      dataset: hf.dataset.trim(),
      ...(hf.config.trim() ? { config: hf.config.trim() } : {}),
      ...(hf.split.trim() ? { split: hf.split.trim() } : {}),
      ...(hf.maxRows > 0 ? { maxTasks: hf.maxRows } : {}),
      mapping: fieldMappingOf(mapping),
      signal: abort.signal,
      onProgress: (rowsRead, total) => {
        if (mine === generation) setDraft({ status: "reading", origin: "hf", label, rowsRead, total });
      },
    });
    if (mine === generation) setDraft({ status: "ready", origin: "hf", label, result });
  } catch (error) {
    if (mine !== generation) return;
    setDraft(abort.signal.aborted ? { status: "cancelled", origin: "hf", label } : { status: "error", origin: "hf", label, message: message(error) });
  } finally {
    if (running === abort) running = undefined;
  }
}

/** Stops the Hugging Face import in progress. */
export function cancelImport(): void {
  running?.abort();
}

/** Column names of a JSONL or CSV file's first row (read from its first 64 KiB); [] when they cannot be told. */
export async function peekColumns(file: Blob, name: string): Promise<string[]> {
  try {
    const format = await detectFormat(name, file);
    if (format === "parquet") return [];
    const head = new TextDecoder().decode(await file.slice(0, 1 << 16).arrayBuffer()).replace(/^\uFEFF/, "");
    if (format === "jsonl") {
      for (const line of head.split("\n")) {
        if (line.trim() === "") continue;
        const row = JSON.parse(line) as unknown;
        return row && typeof row === "object" && !Array.isArray(row) ? Object.keys(row) : [];
      }
      return [];
    }
    let header: string[] | undefined;
    const reader = new CsvReader((record) => {
      header ??= record.fields.map((f) => f.trim()).filter((f) => f !== "");
    });
    reader.push(head);
    reader.end();
    return header ?? [];
  } catch {
    return [];
  }
}

/** Fetches the bundled corpus and records how many documents it holds. */
export async function loadBundledCorpusInfo(): Promise<void> {
  if (useDataStore.getState().bundledCorpus.status === "ready") return;
  const url = bundledCorpusUrl();
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the bundled search corpus from ${url}: HTTP ${res.status}; run \`npm run build:corpus\` and rebuild the app`);
    setBundledCorpus({ status: "ready", documents: parseCorpusJsonl(await res.text(), url).docs.length });
  } catch (error) {
    setBundledCorpus({ status: "error", message: message(error) });
  }
}
