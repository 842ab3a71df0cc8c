// StorageDir over the command line's localhost file server (src/cli/node/file_server.ts):
// the engine, running in headless Chromium or under Node, reads and writes
// the `--out` folder on the user's disk with GET, PUT and DELETE, and lists a
// folder with GET <base><folder>?list.
import { pathParts, type StorageDir } from "./dir";

export class HttpDir implements StorageDir {
  /** `base` ends with "/"; paths are appended to it. */
  constructor(private readonly base: string) {}

  private url(path: string): string {
    return this.base + pathParts(path).map(encodeURIComponent).join("/");
  }

  private static async check(res: Response, what: string): Promise<void> {
    if (!res.ok) throw new Error(`could not ${what} (HTTP ${res.status}: ${(await res.text()).slice(0, 200)})`);
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    await HttpDir.check(await fetch(this.url(path), { method: "PUT", body: new Blob([data as Uint8Array<ArrayBuffer>]) }), `write ${path}`);
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const res = await fetch(this.url(path));
    if (res.status === 404) return undefined;
    await HttpDir.check(res, `read ${path}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async list(path: string): Promise<string[]> {
    const res = await fetch(`${this.url(path)}?list`);
    await HttpDir.check(res, `list ${path || "the output folder"}`);
    return (await res.json()) as string[];
  }

  async remove(path: string): Promise<void> {
    await HttpDir.check(await fetch(this.url(path), { method: "DELETE" }), `remove ${path}`);
  }
}
