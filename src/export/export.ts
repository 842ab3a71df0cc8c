// `tapo export` without the file system: a model's files (and a PEFT adapter's)
// in, the export's files out. Loads the weights on the CPU in f32, merges the
// adapter (W + (alpha/r)·B·A in float64, one f32 rounding), and writes a
// Hugging Face folder or one GGUF file. Runs in Node or a browser, no GPU.
// Refuses, from the config alone, an export too large to build in memory.
import type { FileSet } from "../io/source";
import { loadPeftAdapter } from "../model/peft";
import { expectedTensors } from "../loader/hf_tensors";
import { checkExportSize, type ExportDtype, type ExportFormat } from "./dtypes";
import { ggufFile } from "./gguf_out";
import { mergeLora } from "./merge";
import { safetensorsFolder } from "./safetensors_out";
import { readExportConfig, readExportSource } from "./source";

export type ExportRequest = { model: FileSet; adapter?: FileSet; format: ExportFormat; dtype: ExportDtype; name?: string };

export type ExportResult = {
  /** File name -> bytes (model.gguf alone for GGUF). */
  files: Map<string, Uint8Array>;
  /** Adapted linear layers merged, and the adapter's rank/alpha (undefined without an adapter). */
  merged?: { layers: number; r: number; alpha: number; targets: string[] };
};

/** The export's files; throws ExportError / PeftAdapterError with what to change. */
export async function exportModel(req: ExportRequest): Promise<ExportResult> {
  const c = await readExportConfig(req.model);
  const matrices = expectedTensors(c).filter((t) => t.kind === "matrix").reduce((n, t) => n + t.shape[0]! * t.shape[1]!, 0);
  const vectors = expectedTensors(c).filter((t) => t.kind === "vector").reduce((n, t) => n + t.shape[0]!, 0);
  checkExportSize(matrices, vectors, req.format, req.dtype);
  const src = await readExportSource(req.model);
  const lora = req.adapter ? await loadPeftAdapter(req.adapter, src.weights.config) : undefined;
  const weights = mergeLora(src.weights, lora);
  const files =
    req.format === "gguf"
      ? new Map([["model.gguf", ggufFile(weights, src.ggufTokenizer, req.dtype, req.name ?? req.model.label)]])
      : safetensorsFolder(weights, src, req.dtype);
  if (!lora) return { files };
  return { files, merged: { layers: lora.layers.length, r: lora.config.r, alpha: lora.config.alpha, targets: [...lora.config.targets] } };
}
