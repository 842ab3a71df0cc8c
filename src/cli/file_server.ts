// A localhost file server for the command line: it lets the engine (in
// headless Chromium, or under Node) read the user's model and adapter files
// through the same HTTP range reads as a Hub download, and write outputs back.
// Only the files and output paths registered by the command are reachable;
// it listens on 127.0.0.1 on a free port and stops with the command.
import { createReadStream, createWriteStream, readdirSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { basename, join, relative, sep } from "node:path";
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "Range, Content-Type");
    res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, PUT, OPTIONS");
    res.setHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    const path = decodeURIComponent(new URL(req.url ?? "/", this.url).pathname);
    try {
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
