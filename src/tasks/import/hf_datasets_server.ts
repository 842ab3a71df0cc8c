// Imports a Hugging Face dataset through the datasets server (the Hub's
// dataset viewer API), page by page:
//   GET {base}/splits?dataset=D            -> {splits: [{dataset, config, split}]}
//   GET {base}/rows?dataset=D&config=C&split=S&offset=O&length=L (L ≤ 100)
//                                          -> {features, rows: [{row_idx, row, truncated_cells}], num_rows_total, …}
// Errors come back as {error: "…"} with an HTTP status (404 for a dataset that
// does not exist or is private or gated). Needs the network; the base URL can
// point at any server that speaks this format. An answer longer than
// MAX_HF_RESPONSE_BYTES is refused (by its Content-Length, else while it streams).

import { DatasetImportError, DatasetTooLargeError, HfDatasetNotFoundError, HfServerError } from "./errors.ts";
import { formatBytes } from "../../util/format_bytes.ts";
import { MAX_HF_RESPONSE_BYTES } from "./limits.ts";
import { TaskCollector, usedColumns, type FieldMapping, type ImportResult } from "./row_schema.ts";

export const HF_DATASETS_SERVER = "https://datasets-server.huggingface.co";

/** Rows per /rows request: the server's maximum. */
export const HF_PAGE_LENGTH = 100;

export type HfDatasetOptions = {
  /** "owner/name", e.g. "openai/gsm8k" or "Goer17/TAPO". */
  dataset: string;
  /** Config (subset); default: the first config the server lists with the wanted split. */
  config?: string;
  /** Default "train" (or the first split the server lists when it has no train split and none was asked for). */
  split?: string;
  /** First row to read (0-based). */
  offset?: number;
  /** Stop after this many usable rows. */
  maxTasks?: number;
  mapping?: FieldMapping;
  /** Default HF_DATASETS_SERVER. */
  baseUrl?: string;
  signal?: AbortSignal;
  /** Called after each page with rows read so far and the split's total. */
  onProgress?: (rowsRead: number, total: number) => void;
};

type RowsPage = { rows: { row_idx: number; row: Record<string, unknown>; truncated_cells?: string[] }[]; num_rows_total: number };
type SplitsAnswer = { splits: { dataset: string; config: string; split: string }[] };

/** `claim`: "declares 40000000 bytes (Content-Length), over" or "runs past". */
function tooLong(url: string, claim: string): DatasetTooLargeError {
  return new DatasetTooLargeError(
    `the datasets server's answer to ${url} ${claim} TAPO Studio's limit of ${formatBytes(MAX_HF_RESPONSE_BYTES)} (${MAX_HF_RESPONSE_BYTES} bytes) for one page of rows: ` +
      "is the base URL a datasets server? Otherwise download the dataset's Parquet file and import it",
  );
}

/** The body as text, refused past MAX_HF_RESPONSE_BYTES: by Content-Length before reading, else as it streams. */
async function boundedText(response: Response, url: string): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > MAX_HF_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLong(url, `declares ${declared} bytes (Content-Length), over`);
  }
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_HF_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLong(url, "runs past");
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

async function getJson<T>(url: string, dataset: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new HfServerError(`could not reach the Hugging Face datasets server at ${new URL(url).origin} (${(e as Error).message}); check that you are online, or import a downloaded file instead`);
  }
  const text = await boundedText(response, url);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HfServerError(`the datasets server answered ${url} with status ${response.status} and a body that is not JSON: ${text.slice(0, 200)}`, response.status);
  }
  if (!response.ok) {
    const message = typeof (body as { error?: unknown })?.error === "string" ? (body as { error: string }).error : text.slice(0, 200);
    if (response.status === 404) throw new HfDatasetNotFoundError(dataset, message);
    throw new HfServerError(`the datasets server answered ${url} with status ${response.status}: ${message}; try again later`, response.status);
  }
  return body as T;
}

function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

/** Picks the config and split to read, asking /splits when the config is not given. */
async function resolveSplit(options: HfDatasetOptions, base: string): Promise<{ config: string; split: string }> {
  if (options.config !== undefined) return { config: options.config, split: options.split ?? "train" };
  const answer = await getJson<SplitsAnswer>(`${base}/splits?${query({ dataset: options.dataset })}`, options.dataset, options.signal);
  const splits = answer.splits ?? [];
  const wanted = options.split ?? "train";
  const match = splits.find((s) => s.split === wanted) ?? (options.split === undefined ? splits[0] : undefined);
  if (!match) {
    const known = splits.map((s) => `${s.config}/${s.split}`).join(", ") || "none";
    throw new HfDatasetNotFoundError(options.dataset, `it has no split "${wanted}"; config/split pairs: ${known}`);
  }
  return { config: match.config, split: match.split };
}

/**
 * Reads a Hugging Face dataset split through the datasets server into tasks.
 * @returns tasks (data_source defaults to the dataset id), rows read and skipped rows (row = row_idx + 1).
 * @throws HfDatasetNotFoundError (404), HfServerError (offline, other statuses), DatasetTooLargeError (an answer over
 *   MAX_HF_RESPONSE_BYTES), NoUsableRowsError.
 */
export async function importHfDataset(options: HfDatasetOptions): Promise<ImportResult> {
  const base = (options.baseUrl ?? HF_DATASETS_SERVER).replace(/\/+$/, "");
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(options.dataset)) {
    throw new DatasetImportError(`"${options.dataset}" is not a Hugging Face dataset id; write it as owner/name, e.g. openai/gsm8k`);
  }
  const { config, split } = await resolveSplit(options, base);
  const collector = new TaskCollector(options.dataset, options.mapping);
  const used = usedColumns(options.mapping);
  let offset = options.offset ?? 0;
  for (;;) {
    const url = `${base}/rows?${query({ dataset: options.dataset, config, split, offset, length: HF_PAGE_LENGTH })}`;
    const page = await getJson<RowsPage>(url, options.dataset, options.signal);
    if (!Array.isArray(page.rows)) throw new HfServerError(`the datasets server answered ${url} without a rows list; is the base URL right?`);
    for (const { row_idx, row, truncated_cells } of page.rows) {
      const cut = (truncated_cells ?? []).filter((c) => used.includes(c));
      if (cut.length > 0) collector.skip(row_idx + 1, `the datasets server truncated ${cut.join(", ")}; download the Parquet file and import it instead`, true);
      else collector.add(row, row_idx + 1);
      if (options.maxTasks !== undefined && collector.tasks.length >= options.maxTasks) return collector.finish();
    }
    offset += page.rows.length;
    options.onProgress?.(collector.rowsRead, page.num_rows_total);
    if (page.rows.length === 0 || offset >= page.num_rows_total) break;
  }
  return collector.finish();
}
