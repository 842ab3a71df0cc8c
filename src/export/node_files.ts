// Node's side of `tapo export`: model and adapter folders (or one .gguf) on
// disk as FileSets read by range, and the output folder checked and written.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { type ByteSource, type FileSet, TruncatedFileError, fileSet } from "../io/source";
import { ExportError } from "./errors";

/** A file on disk as a ByteSource: each read opens the file and reads just that range. */
export function diskSource(path: string, name = basename(path)): ByteSource {
  const size = statSync(path).size;
  return {
    name,
    size,
    async read(offset, length) {
      if (offset + length > size) throw new TruncatedFileError(name, offset + length, size);
      const handle = await open(path, "r");
      try {
        const out = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(out, done, length - done, offset + done);
          if (bytesRead === 0) throw new TruncatedFileError(name, offset + length, offset + done);
          done += bytesRead;
        }
        return out;
      } finally {
        await handle.close();
      }
    },
  };
}

/** A folder's files (top level), or one file, as a FileSet. */
export function diskFileSet(path: string, what: string): FileSet {
  const full = resolve(path);
  if (!existsSync(full)) throw new ExportError(`${what} ${path}: no such file or folder (${full})`);
  if (statSync(full).isFile()) return fileSet(full, [diskSource(full)]);
  const names = readdirSync(full).filter((n) => statSync(join(full, n)).isFile());
  return fileSet(full, names.map((n) => diskSource(join(full, n), n)));
}

/** Makes `out` a writable folder (creating it), or says why it cannot be one. */
export function prepareOutDir(out: string): string {
  const full = resolve(out);
  if (existsSync(full) && !statSync(full).isDirectory()) {
    throw new ExportError(`--out ${out} is a file: the export writes a folder; give a folder path (it is created when missing)`);
  }
  try {
    mkdirSync(full, { recursive: true });
    accessSync(full, constants.W_OK);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ExportError(`--out ${out} is not a writable folder (${why}): choose a folder you can write to`);
  }
  return full;
}

/** Writes name -> bytes into `dir`; returns the paths written with their sizes. */
export function writeFiles(dir: string, files: Map<string, Uint8Array>): { path: string; bytes: number }[] {
  return [...files].map(([name, bytes]) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return { path, bytes: bytes.length };
  });
}
