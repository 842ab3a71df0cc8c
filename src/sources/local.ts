// Model files the user brings from disk: files picked with <input type=file>
// (also `webkitdirectory` folders), a folder or files dropped on the page (the
// Entries API: DataTransferItem.webkitGetAsEntry), or one .gguf file. Each file
// is read through blobSource, slice by slice, never whole. `urlFileSet` (from
// ./url) covers files at a URL.
import { blobSource, type ByteSource, type FileSet, fileSet } from "../io/source";

export { urlFileSet, urlModelFileSet } from "./url";

/** The relative path a picked or dropped file carries ("Qwen2.5-0.5B/config.json"), else its name. */
function relativePath(file: File, path?: string): string {
  const p = path ?? (file.webkitRelativePath || file.name);
  return p.replace(/^\/+/, "");
}

/** Drops the first path segment when every path shares it (the folder the user picked or dropped). */
function stripCommonFolder(paths: string[]): { paths: string[]; folder?: string } {
  const first = paths[0]?.split("/")[0];
  if (!first || !paths.every((p) => p.includes("/") && p.split("/")[0] === first)) return { paths };
  return { paths: paths.map((p) => p.slice(first.length + 1)), folder: first };
}

/**
 * A FileSet over picked files (a FileList from <input type=file multiple> or `webkitdirectory`), named by their
 * path inside the picked folder. `paths` overrides each file's path (dropped folders pass the entries' paths).
 */
export function localFileSet(files: ArrayLike<File>, paths?: string[], label?: string): FileSet {
  const list = Array.from(files);
  const raw = list.map((f, i) => relativePath(f, paths?.[i]));
  const { paths: names, folder } = stripCommonFolder(raw);
  const map = new Map<string, ByteSource>();
  list.forEach((f, i) => map.set(names[i]!, blobSource(names[i]!, f)));
  const name = label ?? (folder ? `the folder ${folder}` : list.length === 1 ? list[0]!.name : `${list.length} chosen files`);
  return fileSet(name, map);
}

/** One .gguf file as a FileSet holding just that file. */
export function ggufFileSet(file: File): FileSet {
  if (!file.name.toLowerCase().endsWith(".gguf")) {
    throw new Error(`${file.name} is not a .gguf file: drop one .gguf file, or a Hugging Face model folder`);
  }
  return fileSet(file.name, [blobSource(file.name, file)]);
}

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns the entries in batches; an empty batch means the end.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: { file: File; path: string }[]): Promise<void> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/**
 * A FileSet from a drop: folders are walked (Entries API), loose files taken as they are.
 * Call it synchronously inside the drop handler: the DataTransfer's items are read before the first await.
 */
export async function droppedFileSet(data: DataTransfer): Promise<FileSet> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== "file") continue;
    const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(data.files ?? []));
  const found: { file: File; path: string }[] = loose.map((file) => ({ file, path: file.name }));
  for (const entry of entries) await walk(entry, found);
  if (found.length === 0) throw new Error("nothing was dropped that can be read as a file: drop a model folder or a .gguf file");
  return localFileSet(
    found.map((f) => f.file),
    found.map((f) => f.path),
  );
}
