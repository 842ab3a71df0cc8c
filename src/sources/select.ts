// Which files of a repo or folder make up a model: the HF layout (config.json,
// tokenizer files, safetensors with their index) or exactly one GGUF file.
// Everything else (README, ONNX exports, other GGUF quantizations, images) is
// left out, so a download copies only what loading reads.
import type { FileSet } from "../io/source";

/** A folder or repo that holds no loadable model, or several that need a choice. */
export class ModelFilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFilesError";
  }
}

const HF_SIDE_FILES = [
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "vocab.json",
  "merges.txt",
  "model.safetensors.index.json",
  "tapo.json",
];

/** The layout a FileSet holds: "safetensors" (HF folder) or "gguf" (one file). */
export type ModelLayout = "safetensors" | "gguf";

/** Top-level names only (no subfolders such as onnx/). */
function topLevel(names: string[]): string[] {
  return names.filter((n) => !n.includes("/"));
}

/**
 * Picks a model's files from a set: the HF files when a *.safetensors is present (config.json required),
 * else the one *.gguf (`gguf` names it when there are several). Throws ModelFilesError saying what is missing.
 */
export function selectModelFiles(files: FileSet, gguf?: string): { files: FileSet; layout: ModelLayout } {
  const names = topLevel(files.list());
  const safetensors = names.filter((n) => n.endsWith(".safetensors"));
  const ggufs = names.filter((n) => n.toLowerCase().endsWith(".gguf"));
  if (gguf !== undefined) {
    if (!files.get(gguf)) throw new ModelFilesError(`${files.label} has no file named ${gguf}`);
    return { files: subset(files, [gguf]), layout: "gguf" };
  }
  if (safetensors.length > 0) {
    if (!names.includes("config.json")) {
      throw new ModelFilesError(
        `${files.label} has safetensors weights but no config.json: add the model's config.json (and tokenizer files)`,
      );
    }
    const keep = [...HF_SIDE_FILES.filter((n) => names.includes(n)), ...safetensors];
    return { files: subset(files, keep), layout: "safetensors" };
  }
  if (ggufs.length === 1) return { files: subset(files, ggufs), layout: "gguf" };
  if (ggufs.length > 1) {
    throw new ModelFilesError(
      `${files.label} holds ${ggufs.length} GGUF files (${ggufs.slice(0, 4).join(", ")}${ggufs.length > 4 ? ", …" : ""}): pick one`,
    );
  }
  throw new ModelFilesError(
    `${files.label} holds no model: expected config.json with *.safetensors files (a Hugging Face folder) or one .gguf file`,
  );
}

/** The named files of a set, in the given order. */
export function subset(files: FileSet, names: string[]): FileSet {
  const kept = names.filter((n) => files.get(n) !== undefined);
  return { label: files.label, ...(files.commit ? { commit: files.commit } : {}), list: () => [...kept], get: (n) => (kept.includes(n) ? files.get(n) : undefined) };
}

/** Total bytes of a set's files. */
export function totalBytes(files: FileSet): number {
  let total = 0;
  for (const n of files.list()) total += files.get(n)?.size ?? 0;
  return total;
}
