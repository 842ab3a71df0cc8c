// `tapo export` in Node: checks --to/--dtype, resolves --model / --adapter to
// files on disk and prepares --out before loading any weights, runs the export on the CPU
// (no browser, no GPU) and writes the files, emitting one "done" record.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exportTarget } from "./dtypes";
import { ExportError } from "./errors";
import { exportModel } from "./export";
import { diskFileSet, prepareOutDir, writeFiles } from "./node_files";

export type ExportArgs = { model: string; adapter?: string; to?: string; dtype?: string; out: string };

/** The folder of the bundled tiny model. */
export function tinyModelDir(): string {
  return fileURLToPath(new URL("../../public/models/tiny", import.meta.url));
}

function modelFiles(arg: string) {
  if (arg === "tiny") {
    const dir = tinyModelDir();
    if (!existsSync(`${dir}/config.json`)) throw new ExportError("the bundled tiny model is missing: run `npm run build:tiny-model`");
    return { files: diskFileSet(dir, "--model"), name: "tiny" };
  }
  if (!existsSync(arg) && /^[\w.-]+\/[\w.-]+$/.test(arg)) {
    throw new ExportError(`--model ${arg}: export reads models from disk; download the hub model's folder first (e.g. huggingface-cli download ${arg} --local-dir DIR) and pass --model DIR`);
  }
  return { files: diskFileSet(arg, "--model"), name: arg.replace(/[/\\]+$/, "").split(/[/\\]/).pop() ?? arg };
}

/** Runs the export; `emit` gets {"event":"done", format, dtype, out, files, merged}. */
export async function runExport(args: ExportArgs, emit: (record: Record<string, unknown>) => void): Promise<void> {
  const { format, dtype } = exportTarget(args.to, args.dtype);
  const model = modelFiles(args.model);
  const adapter = args.adapter ? diskFileSet(args.adapter, "--adapter") : undefined;
  const out = prepareOutDir(args.out);
  const result = await exportModel({ model: model.files, ...(adapter ? { adapter } : {}), format, dtype, name: model.name });
  const written = writeFiles(out, result.files);
  emit({ event: "done", format, dtype, out, files: written, merged: result.merged ?? null });
}
