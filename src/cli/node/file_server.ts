// A localhost file server for the command line: it lets the engine (in
// headless Chromium, or under Node) read the user's model and adapter files
// through the same HTTP range reads as a Hub download, and write outputs back.
// Only the files and output paths registered by the command are reachable;
// it listens on 127.0.0.1 on a free port and stops with the command.
import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";

export type ServedFiles = { base: string; names: string[]; label: string };

/** Lists files under dir (relative paths, '/' separated), skipping hidden ones. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

export class FileServer {
  private readonly server: Server;
  private readonly files = new Map<string, string>(); // url path -> file path
  private readonly uploads = new Map<string, string>(); // url path -> output path
  private readonly folders = new Map<string, string>(); // url prefix -> writable folder
  private url = "";

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("file server: no port");
    this.url = `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves a folder (or one file) under a fresh prefix. */
  serve(path: string): ServedFiles {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new Error(`${path} does not exist`);
    const prefix = `/f${this.files.size}-${Math.random().toString(36).slice(2, 8)}`;
    const names = stat.isDirectory() ? listFiles(path) : [basename(path)];
    for (const name of names) this.files.set(`${prefix}/${name}`, stat.isDirectory() ? join(path, name) : path);
    return { base: `${this.url}${prefix}/`, names, label: path };
  }

  /** A URL the engine may PUT one output file to. */
  acceptUpload(outputPath: string): string {
    const path = `/u${this.uploads.size}-${Math.random().toString(36).slice(2, 8)}`;
    this.uploads.set(path, outputPath);
    return `${this.url}${path}`;
  }

  /**
   * A URL (ending in "/") under which the engine may read, write (PUT), list (GET …?list) and
   * delete files of `folder` and its subfolders, and nothing outside it: src/storage/http_dir.ts.
   */
  serveFolder(folder: string): string {
    mkdirSync(folder, { recursive: true });
    const prefix = `/w${this.folders.size}-${Math.random().toString(36).slice(2, 8)}`;
    this.folders.set(prefix, resolve(folder));
    return `${this.url}${prefix}/`;
  }

  /** The local path a folder URL path names, or undefined when it is not under a served folder. */
  private folderPath(path: string): string | undefined {
    const m = /^(\/w\d+-[a-z0-9]+)(?:\/(.*))?$/.exec(path);
    const root = m ? this.folders.get(m[1]!) : undefined;
    if (!m || !root) return undefined;
    const full = resolve(root, m[2] ?? "");
    return full === root || full.startsWith(root + sep) ? full : undefined;
  }

  private async handleFolder(req: IncomingMessage, res: ServerResponse, full: string, list: boolean): Promise<void> {
    const stat = statSync(full, { throwIfNoEntry: false });
    if (req.method === "PUT") {
      mkdirSync(dirname(full), { recursive: true });
      // Written beside, then renamed: a reader never sees half a file.
      const partial = `${full}.${Math.random().toString(36).slice(2, 10)}.partial`;
      await pipeline(req, createWriteStream(partial));
      renameSync(partial, full);
      return void res.writeHead(201).end();
    }
    if (req.method === "DELETE") {
      rmSync(full, { recursive: true, force: true });
      return void res.writeHead(204).end();
    }
    if (req.method !== "GET") return void res.writeHead(405).end("method not allowed");
    if (list) {
      const names = stat?.isDirectory() ? readdirSync(full).filter((n) => !n.endsWith(".partial")).sort() : [];
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(names));
    }
    if (!stat?.isFile()) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "Content-Length": stat.size });
    await pipeline(createReadStream(full), res);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "Range, Content-Type");
    res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, PUT, DELETE, OPTIONS");
    res.setHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    const parsed = new URL(req.url ?? "/", this.url);
    const path = decodeURIComponent(parsed.pathname);
    try {
      if (path.startsWith("/w")) {
        const full = this.folderPath(path);
        if (!full) return void res.writeHead(404).end("not a served folder");
        return await this.handleFolder(req, res, full, parsed.searchParams.has("list"));
      }
      if (req.method === "PUT") {
        const out = this.uploads.get(path);
        if (!out) return void res.writeHead(404).end("not an upload path");
        await pipeline(req, createWriteStream(out));
        return void res.writeHead(201).end();
      }
      const file = this.files.get(path);
      if (!file || (req.method !== "GET" && req.method !== "HEAD")) return void res.writeHead(404).end("not found");
      const size = statSync(file).size;
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      if (!range) {
        res.writeHead(200, { "Content-Length": size, "Accept-Ranges": "bytes" });
        if (req.method === "HEAD") return void res.end();
        await pipeline(createReadStream(file), res);
        return;
      }
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || end < start) {
        return void res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
      }
      res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${size}`, "Accept-Ranges": "bytes" });
      if (req.method === "HEAD") return void res.end();
      await pipeline(createReadStream(file, { start, end }), res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(error instanceof Error ? error.message : String(error));
      else res.destroy();
    }
  }
}
