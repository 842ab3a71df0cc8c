// StorageDir over the browser's origin private file system (OPFS), rooted at a
// named folder. Works in pages and workers; files are written whole through
// createWritable (which commits on close, so a crash mid-write leaves the old
// file, never half a new one).
import { pathParts, type StorageDir } from "./dir";

/** The folders and the file name of a path. */
function split(path: string): { dirs: string[]; name: string } {
  const parts = pathParts(path);
  const name = parts.pop();
  if (name === undefined) throw new Error("storage path is empty");
  return { dirs: parts, name };
}

export class OpfsDir implements StorageDir {
  private constructor(private readonly root: FileSystemDirectoryHandle) {}

  /** The folder `name` under the origin's OPFS root (created when missing). Throws where OPFS is unavailable. */
  static async open(name: string): Promise<OpfsDir> {
    const storage = globalThis.navigator?.storage;
    if (!storage || typeof storage.getDirectory !== "function") {
      throw new Error("this browser has no origin private file system (navigator.storage.getDirectory), so runs cannot be saved");
    }
    return new OpfsDir(await (await storage.getDirectory()).getDirectoryHandle(name, { create: true }));
  }

  private async folder(dirs: string[], create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
    let dir = this.root;
    for (const d of dirs) {
      try {
        dir = await dir.getDirectoryHandle(d, { create });
      } catch (error) {
        if (!create && error instanceof DOMException && (error.name === "NotFoundError" || error.name === "TypeMismatchError")) return undefined;
        throw error;
      }
    }
    return dir;
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const { dirs, name } = split(path);
    const dir = (await this.folder(dirs, true))!;
    const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
    await writable.write(data as Uint8Array<ArrayBuffer>);
    await writable.close();
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const { dirs, name } = split(path);
    const dir = await this.folder(dirs, false);
    if (!dir) return undefined;
    try {
      return new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer());
    } catch (error) {
      if (error instanceof DOMException && (error.name === "NotFoundError" || error.name === "TypeMismatchError")) return undefined;
      throw error;
    }
  }

  async list(path: string): Promise<string[]> {
    const dir = await this.folder(pathParts(path), false);
    if (!dir) return [];
    const names: string[] = [];
    for await (const key of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(key);
    return names.sort();
  }

  async remove(path: string): Promise<void> {
    const { dirs, name } = split(path);
    const dir = await this.folder(dirs, false);
    if (!dir) return;
    try {
      await dir.removeEntry(name, { recursive: true });
    } catch (error) {
      if (error instanceof DOMException && error.name === "NotFoundError") return;
      throw error;
    }
  }
}
