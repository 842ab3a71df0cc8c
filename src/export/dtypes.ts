// The formats and dtypes `tapo export` writes, and which dtype each format can hold.
import { ExportError } from "./errors";

export const EXPORT_FORMATS = ["safetensors", "gguf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_DTYPES = ["f32", "f16", "q8_0", "q4_0"] as const;
export type ExportDtype = (typeof EXPORT_DTYPES)[number];

/** The dtypes each format holds: safetensors only float types (Hugging Face loaders read no GGML blocks). */
const HOLDS: Record<ExportFormat, readonly ExportDtype[]> = { safetensors: ["f32", "f16"], gguf: ["f32", "f16", "q8_0", "q4_0"] };

/** --to and --dtype checked together; the default dtype is f32. */
export function exportTarget(to: string | undefined, dtype: string | undefined): { format: ExportFormat; dtype: ExportDtype } {
  if (!(EXPORT_FORMATS as readonly string[]).includes(to ?? "")) {
    throw new ExportError(`--to must be ${EXPORT_FORMATS.join(" or ")}, got ${JSON.stringify(to ?? "")} (ONNX is not written yet)`);
  }
  const format = to as ExportFormat;
  const d = dtype ?? "f32";
  if (!(EXPORT_DTYPES as readonly string[]).includes(d)) throw new ExportError(`--dtype must be one of ${EXPORT_DTYPES.join(", ")}, got ${JSON.stringify(d)}`);
  if (!HOLDS[format].includes(d as ExportDtype)) {
    throw new ExportError(`--to ${format} cannot hold --dtype ${d}: ${format} takes ${HOLDS[format].join(" or ")}; for ${d} use --to gguf`);
  }
  return { format, dtype: d as ExportDtype };
}

/** Bytes per weight of a matrix in each dtype (Q8_0: 34 bytes per 32, Q4_0: 18 per 32). */
export const DTYPE_BYTES: Record<ExportDtype, number> = { f32: 4, f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/** The largest file the in-memory writers can build (a typed array of at most 2^32 bytes in Node 20). */
export const MAX_EXPORT_BYTES = 2 ** 32 - 2 ** 24;

/**
 * About how many bytes the export's weights take (matrices in `dtype`, the few vectors in f32):
 * refuses, before anything is loaded, an export too large for the in-memory writers.
 */
export function checkExportSize(matrixParams: number, vectorParams: number, format: ExportFormat, dtype: ExportDtype): number {
  const bytes = matrixParams * DTYPE_BYTES[dtype] + vectorParams * (format === "gguf" ? 4 : DTYPE_BYTES[dtype]);
  if (bytes > MAX_EXPORT_BYTES) {
    const gib = (bytes / 2 ** 30).toFixed(1);
    const fits = (f: ExportFormat) => HOLDS[f].filter((d) => matrixParams * DTYPE_BYTES[d] < MAX_EXPORT_BYTES);
    const here = fits(format);
    const gguf = fits("gguf");
    const advice = here.length ? `export with --dtype ${here.join(" or ")}` : gguf.length ? `export --to gguf with --dtype ${gguf.join(" or ")}` : "models this large are not exported yet";
    throw new ExportError(`the ${format} export in ${dtype} would take ${gib} GiB, more than the 4 GiB one file can hold here (the writer builds it in memory): ${advice}`);
  }
  return bytes;
}
