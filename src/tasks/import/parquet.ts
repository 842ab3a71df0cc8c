// Reads Parquet dataset files with hyparquet, range by range (a Blob is
// sliced, never read whole), a few thousand rows at a time, and only the
// columns the row schema or the mapping can use. The footer's declared length
// is checked against MAX_PARQUET_FOOTER_BYTES before hyparquet reads it.

import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { DatasetFormatError, DatasetTooLargeError } from "./errors.ts";
import { formatBytes } from "../../util/format_bytes.ts";
import { MAX_PARQUET_FOOTER_BYTES } from "./limits.ts";

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
 * Refuses a footer (the u32 length before the closing "PAR1") longer than MAX_PARQUET_FOOTER_BYTES, reading
 * only the last 8 bytes; anything else odd (no closing "PAR1" included) is left to hyparquet's own checks.
 */
async function checkFooterLength(file: AsyncBuffer, name: string): Promise<void> {
  if (file.byteLength < 8) return;
  const tail = new DataView(await file.slice(file.byteLength - 8, file.byteLength));
  const magic = String.fromCharCode(tail.getUint8(4), tail.getUint8(5), tail.getUint8(6), tail.getUint8(7));
  const length = tail.getUint32(0, true);
  if (magic === "PAR1" && length > MAX_PARQUET_FOOTER_BYTES) {
    throw new DatasetTooLargeError(
      `${name} declares a Parquet footer (its schema and row-group metadata) of ${formatBytes(length)} (${length} bytes), over TAPO Studio's limit of ` +
        `${formatBytes(MAX_PARQUET_FOOTER_BYTES)}: real footers are a few MB at most, so the file is damaged or not Parquet; download or export it again`,
    );
  }
}

/**
 * Calls `onRow(row, rowNumber)` for each row (rowNumber 1-based), in order.
 * @param wanted top-level columns to read (others are not decoded); undefined: all.
 * @param onRow returns false to stop early.
 * @param name the file, for messages.
 * @throws DatasetFormatError when the bytes are not a Parquet file; DatasetTooLargeError for a footer over its cap.
 */
export async function readParquetRows(
  input: Blob | ArrayBuffer | Uint8Array,
  wanted: (columns: string[]) => string[] | undefined,
  onRow: (row: Record<string, unknown>, rowNumber: number) => boolean,
  name = "the Parquet file",
): Promise<void> {
  const file = asyncBufferOf(input);
  await checkFooterLength(file, name);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new DatasetFormatError(`this is not a readable Parquet file (${(e as Error).message}); check that the download finished, or export the data as JSONL or CSV`);
  }
  const columns = wanted(parquetColumns(metadata));
  // The rows the row groups hold, not the footer's num_rows (which a damaged file can set to 2^50), and
  // stop at an empty read: either way the loop ends with the data.
  const total = metadata.row_groups.reduce((n, group) => n + Number(group.num_rows), 0);
  for (let start = 0; start < total; start += ROWS_PER_READ) {
    const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: Math.min(total, start + ROWS_PER_READ), ...(columns ? { columns } : {}) });
    if (rows.length === 0) return;
    for (let i = 0; i < rows.length; i++) if (!onRow(rows[i]!, start + i + 1)) return;
  }
}
