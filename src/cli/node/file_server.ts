// A localhost file server for the command line: it lets the engine (in
// headless Chromium, or under Node) read the user's model and adapter files
// through the same HTTP range reads as a Hub download, and write outputs back.
// It listens on 127.0.0.1 on a free port and stops with the command.
//
// Who may ask, and for what:
//   - Every URL starts with one secret: 128 bits from node:crypto, base64url,
//     made per server and compared in constant time. A wrong token is a 404.
//   - Requests must name this server in Host (127.0.0.1:<port>), which keeps
//     out a page that rebinds its own DNS name to 127.0.0.1.
//   - CORS: a request with an Origin header is answered only for an origin the
//     command allowed with allowOrigin() (the host page: host.ts calls it once
//     its Vite server has a port, before the page loads); any other origin gets
//     403 and no Access-Control-* headers. Without an Origin header (Node's
//     fetch under `--runtime node`, curl) no CORS headers are needed or sent.
//   - Reads (serve) reach only the files listed when serve() was called.
//     The listing follows symbolic links, so a Hugging Face cache snapshot
//     (models--X/snapshots/<rev>/, every file a link into ../../blobs/) loads.
//   - Writes (serveFolder) stay inside their folder: each path segment is
//     decoded once and may not be empty, "." or "..", or hold a slash; the part
//     of the path that exists must resolve (realpath) inside the folder, so a
//     symbolic link cannot lead a read, write or delete out of it; files are
//     written beside their target, then renamed over it (a link there is
//     replaced, not written through). The folder itself cannot be deleted.
//   - A malformed request gets a 4xx answer; no request can stop the process.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Dirent, Stats } from "node:fs";
import { createReadStream, createWriteStream, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { basename, dirname, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";

export type ServedFiles = { base: string; names: string[]; label: string };

/** A request the server refuses, with its 4xx status. */
class Refused extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** What one URL prefix (after the token) gives: listed files to read, one upload path, or a writable folder. */
type Area = { kind: "files"; files: Map<string, string> } | { kind: "upload"; path: string } | { kind: "folder"; root: string };

const METHODS = { files: "GET, HEAD", upload: "PUT", folder: "GET, HEAD, PUT, DELETE" } as const;

/** stat that follows links, or undefined for a broken link or a link loop. */
function followed(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Lists files under dir (relative paths, '/' separated), following symbolic links, skipping hidden ones and link loops. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, above: Set<string>) => {
    const real = realpathSync(d);
    if (above.has(real)) return; // a link back to a folder above: walked already
    const path = new Set(above).add(real);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = join(d, entry.name);
      const kind: Dirent | Stats | undefined = entry.isSymbolicLink() ? followed(full) : entry;
      if (kind?.isDirectory()) walk(full, path);
      else if (kind?.isFile()) out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir, new Set());
  return out.sort();
}

/** Splits a request target into decoded path segments and its query; refuses (400) one that is malformed. */
function parseTarget(target: string): { segments: string[]; query: URLSearchParams } {
  if (!target.startsWith("/")) throw new Refused(400, "the request target must be a path starting with /");
  const q = target.indexOf("?");
  const parts = (q < 0 ? target : target.slice(0, q)).slice(1).split("/");
  if (parts.at(-1) === "") parts.pop(); // a folder's URL ends in "/"
  const segments = parts.map((part) => {
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      throw new Refused(400, `bad percent-encoding in the path segment "${part}"`);
    }
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
      throw new Refused(400, `the path segment "${part}" is empty, a dot segment, or holds a slash`);
    }
    return name;
  });
  return { segments, query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)) };
}

/** The byte range a Range header asks of a file of `size` bytes; undefined without one; refuses (416) any other. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = new Refused(416, `cannot serve Range "${header}" of ${size} bytes (one range, bytes=a-b, a-, or -n)`, {
    "Content-Range": `bytes */${size}`,
  });
  if (!m || (!m[1] && !m[2])) throw unsatisfiable;
  const range = m[1]
    ? { start: Number(m[1]), end: m[2] ? Math.min(Number(m[2]), size - 1) : size - 1 }
    : { start: Math.max(0, size - Number(m[2])), end: size - 1 }; // bytes=-n: the last n bytes
  if (range.start >= size || range.end < range.start) throw unsatisfiable;
  return range;
}

/** Refuses (403) a path whose existing part resolves, through symbolic links, outside `root` (a real path). */
function keepInside(root: string, full: string): void {
  let existing = full;
  while (existing !== root && !lstatSync(existing, { throwIfNoEntry: false })) existing = dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    throw new Refused(403, `${existing} is a broken symbolic link`);
  }
  if (real !== root && !real.startsWith(root + sep)) throw new Refused(403, `${existing} leads outside the served folder ${root}`);
}

/** The status for an error thrown while answering: its own for a refusal, 4xx for a missing or clashing path, else 500. */
function statusOf(error: unknown): number {
  if (error instanceof Refused) return error.status;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return 404;
  if (code === "EISDIR" || code === "EEXIST" || code === "ENOTEMPTY") return 409;
  if (code === "EACCES" || code === "EPERM") return 403;
  return 500;
}

export class FileServer {
  private readonly server: Server;
  private readonly token = randomBytes(16).toString("base64url");
  private readonly areas = new Map<string, Area>(); // "f0", "u1", "w2" -> what it gives
  private readonly origins = new Set<string>();
  private url = "";
  private host = "";

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("file server: no port");
    this.host = `127.0.0.1:${address.port}`;
    this.url = `http://${this.host}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Lets pages of `origin` (e.g. "http://127.0.0.1:5173", the engine's host page) call this server across origins. */
  allowOrigin(origin: string): void {
    if (new URL(origin).origin !== origin) throw new Error(`allowOrigin takes an origin like http://127.0.0.1:5173, got "${origin}"`);
    this.origins.add(origin);
  }

  /** A fresh URL path (after the token) for `area`, ending in "/". */
  private add(letter: string, area: Area): string {
    const name = `${letter}${this.areas.size}`;
    this.areas.set(name, area);
    return `${this.url}/${this.token}/${name}/`;
  }

  /** Serves a folder (or one file) under a fresh prefix; links inside a folder are followed. */
  serve(path: string): ServedFiles {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new Error(`${path} does not exist`);
    const names = stat.isDirectory() ? listFiles(path) : [basename(path)];
    const files = new Map(names.map((name) => [name, stat.isDirectory() ? join(path, name) : path]));
    return { base: this.add("f", { kind: "files", files }), names, label: path };
  }

  /** A URL the engine may PUT one output file to. */
  acceptUpload(outputPath: string): string {
    return this.add("u", { kind: "upload", path: outputPath }).slice(0, -1);
  }

  /**
   * A URL (ending in "/") under which the engine may read, write (PUT), list (GET …?list) and
   * delete files of `folder` and its subfolders, and nothing outside it: src/storage/http_dir.ts.
   */
  serveFolder(folder: string): string {
    mkdirSync(folder, { recursive: true });
    return this.add("w", { kind: "folder", root: realpathSync(folder) });
  }

  private tokenMatches(candidate: string | undefined): boolean {
    const [a, b] = [Buffer.from(candidate ?? ""), Buffer.from(this.token)];
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Checks Host and Origin, and sets the CORS headers an allowed origin needs. */
  private admit(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader("Vary", "Origin");
    res.setHeader("Cross-Origin-Resource-Policy", "same-site"); // the host page is 127.0.0.1 too, on another port
    if (req.headers.host !== this.host) throw new Refused(403, `this server answers only requests to ${this.host}`);
    const origin = req.headers.origin;
    if (origin === undefined) return;
    if (!this.origins.has(origin)) throw new Refused(403, `pages of ${origin} may not use this server`);
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Headers", "Range, Content-Type");
    res.setHeader("Access-Control-Allow-Methods", METHODS.folder);
    res.setHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.admit(req, res);
      if (req.method === "OPTIONS") return void res.writeHead(204).end();
      const { segments, query } = parseTarget(req.url ?? "");
      const [token, name, ...rest] = segments;
      const area = name === undefined ? undefined : this.areas.get(name);
      if (!this.tokenMatches(token) || !area) throw new Refused(404, "not found");
      if (!METHODS[area.kind].split(", ").includes(req.method ?? "")) {
        throw new Refused(405, `${req.method} is not allowed here`, { Allow: METHODS[area.kind] });
      }
      if (area.kind === "folder") return await this.handleFolder(req, res, area.root, rest, query.has("list"));
      if (area.kind === "upload") {
        if (rest.length > 0) throw new Refused(404, "not an upload path");
        await pipeline(req, createWriteStream(area.path));
        return void res.writeHead(201).end();
      }
      const file = area.files.get(rest.join("/"));
      if (!file) throw new Refused(404, "not found");
      await this.sendFile(req, res, file);
    } catch (error) {
      if (res.headersSent || res.destroyed) return void res.destroy();
      const headers = error instanceof Refused ? error.headers : {};
      res.writeHead(statusOf(error), { ...headers, "Content-Type": "text/plain" });
      res.end(error instanceof Error ? error.message : String(error));
    }
  }

  /** Answers GET/HEAD of a file, whole or one byte range. */
  private async sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Refused(404, "not a file");
    const range = byteRange(req.headers.range, stat.size);
    if (range) {
      const { start, end } = range;
      res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${stat.size}`, "Accept-Ranges": "bytes" });
    } else {
      res.writeHead(200, { "Content-Length": stat.size, "Accept-Ranges": "bytes" });
    }
    if (req.method === "HEAD") return void res.end();
    await pipeline(createReadStream(file, range ?? {}), res);
  }

  private async handleFolder(req: IncomingMessage, res: ServerResponse, root: string, rest: string[], list: boolean): Promise<void> {
    const full = join(root, ...rest);
    keepInside(root, full);
    if (req.method === "DELETE") {
      if (rest.length === 0) throw new Refused(403, "the served folder itself cannot be deleted, only what is in it");
      rmSync(full, { recursive: true, force: true }); // a link is removed, never followed
      return void res.writeHead(204).end();
    }
    if (req.method === "PUT") {
      if (rest.length === 0) throw new Refused(400, "PUT needs a file name after the folder URL");
      mkdirSync(dirname(full), { recursive: true });
      keepInside(root, dirname(full));
      // Written beside, then renamed: a reader never sees half a file, and a link at `full` is replaced.
      const partial = `${full}.${randomBytes(6).toString("hex")}.partial`;
      try {
        await pipeline(req, createWriteStream(partial, { flags: "wx" }));
        renameSync(partial, full);
      } finally {
        rmSync(partial, { force: true });
      }
      return void res.writeHead(201).end();
    }
    if (list) {
      const names = followed(full)?.isDirectory() ? readdirSync(full).filter((n) => !n.endsWith(".partial")).sort() : [];
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(names));
    }
    await this.sendFile(req, res, full);
  }
}
