// A real HTTP server on 127.0.0.1 for the source tests (Node only): serves byte
// files with Range support, and routes that misbehave on purpose (404, a cut
// mid-body once, a cut every time, Range ignored, HEAD refused), plus a fake
// Hugging Face Hub (the revision and tree APIs, paged, and resolve URLs).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeServer = {
  url: string;
  /** GET requests seen per path (without the query). */
  gets: Map<string, number>;
  close(): Promise<void>;
};

export type FakeFiles = {
  /** Plain files served at /files/<name>. */
  files: Map<string, Uint8Array>;
  /**
   * Hub repos: repo id -> files, served at /api/models/<id>/tree/<revision> and /<id>/resolve/<revision>/<name>
   * for any revision; /api/models/<id>/revision/<name> answers FAKE_COMMIT (or `commits[name]`).
   */
  repos: Map<string, Map<string, Uint8Array>>;
  /** Branch or tag name -> the commit the revision API says it points at (FAKE_COMMIT otherwise). */
  commits?: Map<string, string>;
};

/** The commit the fake Hub resolves a branch to by default. */
export const FAKE_COMMIT = "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";

/** Answers a GET with Range support: 206 and the asked slice, or 200 and everything without a Range header. */
function serveBytes(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, opts: { ignoreRange?: boolean; cut?: boolean } = {}) {
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  if (req.method === "HEAD") {
    res.writeHead(200, { "Content-Length": bytes.length, "Accept-Ranges": "bytes" });
    res.end();
    return;
  }
  let start = 0;
  let end = bytes.length - 1;
  let status = 200;
  const headers: Record<string, string | number> = {};
  if (range && !opts.ignoreRange) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    if (start >= bytes.length) {
      res.writeHead(416, { "Content-Range": `bytes */${bytes.length}` });
      res.end();
      return;
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${bytes.length}`;
  }
  const body = bytes.subarray(start, end + 1);
  headers["Content-Length"] = body.length;
  res.writeHead(status, headers);
  if (opts.cut) {
    // Send part of the body, then drop the connection.
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setTimeout(() => res.socket?.destroy(), 5);
    return;
  }
  res.end(body);
}

/** Starts the server on an ephemeral 127.0.0.1 port. */
export async function startFakeServer(data: FakeFiles): Promise<FakeServer> {
  const gets = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    if (req.method === "GET") gets.set(path, (gets.get(path) ?? 0) + 1);
    const count = gets.get(path) ?? 0;
    const file = (prefix: string) => data.files.get(path.slice(prefix.length));

    if (path.startsWith("/files/")) {
      const bytes = file("/files/");
      if (!bytes) return void res.writeHead(404).end("not found");
      return serveBytes(req, res, bytes);
    }
    if (path.startsWith("/cut-once/")) {
      const bytes = file("/cut-once/");
      if (!bytes) return void res.writeHead(404).end();
      return serveBytes(req, res, bytes, { cut: req.method === "GET" && count === 1 });
    }
    if (path.startsWith("/cut-always/")) {
      const bytes = file("/cut-always/");
      if (!bytes) return void res.writeHead(404).end();
      return serveBytes(req, res, bytes, { cut: req.method === "GET" });
    }
    if (path.startsWith("/no-range/")) {
      const bytes = file("/no-range/");
      if (!bytes) return void res.writeHead(404).end();
      return serveBytes(req, res, bytes, { ignoreRange: true });
    }
    if (path.startsWith("/no-head/")) {
      const bytes = file("/no-head/");
      if (!bytes) return void res.writeHead(404).end();
      if (req.method === "HEAD") return void res.writeHead(405).end();
      return serveBytes(req, res, bytes);
    }
    const revision = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(path);
    if (revision) {
      if (!data.repos.has(revision[1]!)) return void res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"Repository not found"}');
      const sha = data.commits?.get(decodeURIComponent(revision[2]!)) ?? FAKE_COMMIT;
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id: revision[1], sha }));
    }
    const tree = /^\/api\/models\/(.+)\/tree\/([^/]+)$/.exec(path);
    if (tree) {
      const repo = data.repos.get(tree[1]!);
      if (!repo) return void res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"Repository not found"}');
      // Two pages: the first file alone, then the rest, linked by a Link header like the Hub's.
      const entries = [...repo.entries()].map(([name, bytes]) => ({ type: "file", path: name, size: bytes.length, oid: "0" }));
      const page = url.searchParams.get("cursor") === "2" ? entries.slice(1) : entries.slice(0, 1);
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (url.searchParams.get("cursor") !== "2") headers.Link = `<${url.pathname}?recursive=true&cursor=2>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify([{ type: "directory", path: "sub", oid: "1" }, ...page]));
      return;
    }
    const resolve = /^\/(.+?\/.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      const bytes = data.repos.get(resolve[1]!)?.get(resolve[3]!);
      if (!bytes) return void res.writeHead(404).end();
      return serveBytes(req, res, bytes);
    }
    res.writeHead(404).end("no route");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
