// Reads Parquet dataset files with hyparquet, range by range (a Blob is
// sliced, never read whole), a few thousand rows at a time, and only the
// columns the row schema or the mapping can use.

import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { DatasetFormatError } from "./errors.ts";

/** Rows read per hyparquet call. */
const ROWS_PER_READ = 2048;

/** A hyparquet AsyncBuffer over a Blob (File) or bytes in memory. */
export function asyncBufferOf(input: Blob | ArrayBuffer | Uint8Array): AsyncBuffer {
  if (input instanceof Blob) {
    return { byteLength: input.size, slice: (start, end) => input.slice(start, end).arrayBuffer() };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) => bytes.slice(start, end ?? bytes.byteLength).buffer,
  };
}

/** Top-level column names of a Parquet file. */
export function parquetColumns(metadata: FileMetaData): string[] {
  return parquetSchema(metadata).children.map((c) => c.element.name);
}

/**
 * Calls `onRow(row, rowNumber)` for each row (rowNumber 1-based), in order.
 * @param wanted top-level columns to read (others are not decoded); undefined: all.
 * @param onRow returns false to stop early.
 * @throws DatasetFormatError when the bytes are not a Parquet file.
 */
export async function readParquetRows(
  input: Blob | ArrayBuffer | Uint8Array,
  wanted: (columns: string[]) => string[] | undefined,
  onRow: (row: Record<string, unknown>, rowNumber: number) => boolean,
): Promise<void> {
  const file = asyncBufferOf(input);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new DatasetFormatError(`this is not a readable Parquet file (${(e as Error).message}); check that the download finished, or export the data as JSONL or CSV`);
  }
  const columns = wanted(parquetColumns(metadata));
  const total = Number(metadata.num_rows);
  for (let start = 0; start < total; start += ROWS_PER_READ) {
    const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: Math.min(total, start + ROWS_PER_READ), ...(columns ? { columns } : {}) });
    for (let i = 0; i < rows.length; i++) if (!onRow(rows[i]!, start + i + 1)) return;
  }
}
