// A small folder abstraction for what a training run saves (checkpoints,
// metrics, traces): whole-file writes and reads by '/'-separated relative
// paths. Implemented over OPFS in the browser (opfs_dir.ts), over the command
// line's localhost file server for `tapo train --out` (http_dir.ts), and in
// memory for tests (here).

export interface StorageDir {
  /** Writes a whole file, creating its folders; replaces a file already there. */
  write(path: string, data: Uint8Array): Promise<void>;
  /** The file's bytes, or undefined when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Names directly under a folder ("" is the root), sorted; [] when the folder does not exist. */
  list(path: string): Promise<string[]>;
  /** Removes a file or a whole folder; nothing happens when it does not exist. */
  remove(path: string): Promise<void>;
}

/** Splits a relative path into its parts, refusing absolute paths, empty parts, "." and "..". */
export function pathParts(path: string): string[] {
  if (path === "") return [];
  const parts = path.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new Error(`storage path "${path}" must be relative, without empty, "." or ".." parts`);
  }
  return parts;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

/** Files in memory; what tests and a page without OPFS use. */
export class MemoryDir implements StorageDir {
  readonly files = new Map<string, Uint8Array>();

  async write(path: string, data: Uint8Array): Promise<void> {
    pathParts(path);
    this.files.set(path, data.slice());
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    return this.files.get(path)?.slice();
  }

  async list(path: string): Promise<string[]> {
    const prefix = path === "" ? "" : `${pathParts(path).join("/")}/`;
    const names = new Set<string>();
    for (const key of this.files.keys()) if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split("/")[0]!);
    return [...names].sort();
  }

  async remove(path: string): Promise<void> {
    for (const key of [...this.files.keys()]) if (key === path || key.startsWith(`${path}/`)) this.files.delete(key);
  }
}

/** The folder `prefix` of `dir`, as a StorageDir of its own. */
export function subDir(dir: StorageDir, prefix: string): StorageDir {
  pathParts(prefix);
  const at = (path: string) => (path === "" ? prefix : `${prefix}/${path}`);
  return {
    write: (path, data) => dir.write(at(path), data),
    read: (path) => dir.read(at(path)),
    list: (path) => dir.list(at(path)),
    remove: (path) => dir.remove(at(path)),
  };
}
