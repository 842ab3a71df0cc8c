// Checks the Wikipedia and SearXNG backends against real HTTP servers on 127.0.0.1 (Node, no GPU, no mocked fetch): request parameters, reply parsing, and that a server that never answers, a closed port, HTTP errors and non-JSON replies all come back as error responses within the time limit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBackendSpec, createSearchBackend, UnknownBackendError } from "./backends.ts";
import { SearchTool } from "./search_tool.ts";
import { SearxngBackend } from "./searxng_backend.ts";
import { WikipediaBackend } from "./wikipedia_backend.ts";

type Handler = (url: URL, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; base: string; requests: URL[] }> {
  const requests: URL[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    handler(url, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, requests };
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
  res.end(JSON.stringify(body));
}

/** A MediaWiki list=search reply for the titles whose name contains the query's first word. */
function wikipediaReply(query: string, limit: number) {
  const pages = [
    { title: "Orvel", snippet: 'The city of <span class="searchmatch">Orvel</span> &amp; its &quot;old&quot; bridge' },
    { title: "Orvel Bridge", snippet: "A bridge in <span class=\"searchmatch\">Orvel</span>, built in 1203" },
    { title: "Pellin", snippet: "A market town" },
  ];
  const word = query.split(" ")[0]!.toLowerCase();
  const found = pages.filter((p) => p.title.toLowerCase().includes(word)).slice(0, limit);
  return {
    batchcomplete: "",
    query: { searchinfo: { totalhits: found.length }, search: found.map((p, i) => ({ ns: 0, title: p.title, pageid: 100 + i, size: 1000, wordcount: 150, snippet: p.snippet, timestamp: "2024-01-01T00:00:00Z" })) },
  };
}

let wiki: Awaited<ReturnType<typeof listen>>;
let searx: Awaited<ReturnType<typeof listen>>;
let silent: Awaited<ReturnType<typeof listen>>;
let broken: Awaited<ReturnType<typeof listen>>;
let stalled: Awaited<ReturnType<typeof listen>>;
let closedBase: string;

beforeAll(async () => {
  wiki = await listen((url, res) => {
    if (url.pathname !== "/w/api.php") return json(res, { error: { code: "notfound" } }, 404);
    json(res, wikipediaReply(url.searchParams.get("srsearch") ?? "", Number(url.searchParams.get("srlimit") ?? 10)));
  });
  searx = await listen((url, res) => {
    if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") return json(res, { error: "format" }, 403);
    const q = url.searchParams.get("q") ?? "";
    if (q.startsWith("nothing")) return json(res, { query: q, results: [] });
    json(res, {
      query: q,
      number_of_results: 2,
      results: [
        { title: "Tamsk river", content: "The Tamsk flows north.", url: "https://example.org/tamsk", engine: "x" },
        { title: "", content: "untitled result is skipped", url: "https://example.org/none" },
        { title: "Pellin", content: "A market town on the Tamsk.", url: "https://example.org/pellin" },
      ],
    });
  });
  // Accepts connections and never answers.
  silent = await listen(() => {});
  // Sends headers and half a body, then stalls.
  stalled = await listen((_url, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"results": [');
  });
  broken = await listen((url, res) => {
    if (url.pathname.includes("api.php")) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>not json</html>");
    } else {
      res.writeHead(503, "Service Unavailable");
      res.end();
    }
  });
  const closed = await listen(() => {});
  closedBase = closed.base;
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
});

afterAll(async () => {
  for (const s of [wiki, searx, silent, broken, stalled]) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  }
});

describe("WikipediaBackend", () => {
  it("asks list=search with origin=* and formats titles and cleaned snippets", async () => {
    const tool = new SearchTool(new WikipediaBackend({ endpoint: `${wiki.base}/w/api.php` }), { topK: 2 });
    const result = await tool.run("Orvel bridge history");
    expect(result.error).toBeUndefined();
    expect(result.response).toBe('Doc 1: (Title: Orvel) The city of Orvel & its "old" bridge\nDoc 2: (Title: Orvel Bridge) A bridge in Orvel, built in 1203');
    const req = wiki.requests.at(-1)!;
    expect(Object.fromEntries(req.searchParams)).toEqual({ action: "query", list: "search", srsearch: "Orvel bridge history", srlimit: "2", format: "json", origin: "*" });
  });

  it("answers the no-results text for an empty list, and its URL is the public API by default", async () => {
    const tool = new SearchTool(new WikipediaBackend({ endpoint: `${wiki.base}/w/api.php` }));
    expect((await tool.run("Zzyzx nowhere")).response).toMatch(/^No relevant information/);
    expect(new WikipediaBackend().requestUrl("a b", 1)).toBe("https://en.wikipedia.org/w/api.php?action=query&list=search&srsearch=a+b&srlimit=1&format=json&origin=*");
  });

  it("reports a reply that is not JSON", async () => {
    const result = await new SearchTool(new WikipediaBackend({ endpoint: `${broken.base}/w/api.php` })).run("Orvel");
    expect(result.error).toBe("format");
    expect(result.response).toMatch(/did not answer with JSON/);
  });
});

describe("SearxngBackend", () => {
  it("asks /search?format=json and formats title and content", async () => {
    const tool = new SearchTool(new SearxngBackend({ baseUrl: `${searx.base}/` }));
    const result = await tool.run("Tamsk river");
    expect(result.response).toBe("Doc 1: (Title: Tamsk river) The Tamsk flows north.\nDoc 2: (Title: Pellin) A market town on the Tamsk.");
    expect(searx.requests.at(-1)!.pathname).toBe("/search");
    expect(searx.requests.at(-1)!.searchParams.get("q")).toBe("Tamsk river");
    expect((await tool.run("nothing here")).response).toMatch(/^No relevant information/);
  });

  it("reports an HTTP error status", async () => {
    const result = await new SearchTool(new SearxngBackend({ baseUrl: broken.base })).run("Tamsk");
    expect(result.error).toBe("http");
    expect(result.response).toMatch(/HTTP 503/);
  });
});

describe("unreachable backends", () => {
  // No upper bounds on time: the error kind says which path ended the wait (timeout, refused connection, abort),
  // so the tests hold on a machine whose cores are busy.
  it("times out a server that never answers or stalls mid-body, after its limit", async () => {
    for (const backend of [new WikipediaBackend({ endpoint: `${silent.base}/w/api.php`, timeoutMs: 300 }), new SearxngBackend({ baseUrl: silent.base, timeoutMs: 300 }), new SearxngBackend({ baseUrl: stalled.base, timeoutMs: 300 })]) {
      const start = performance.now();
      const result = await new SearchTool(backend).run("Orvel bridge");
      const elapsed = performance.now() - start;
      expect(result.error).toBe("timeout");
      expect(result.response).toMatch(/^search backend unreachable: no reply from 127\.0\.0\.1:\d+ within 300 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(250);
    }
  });

  it("reports a closed port as unreachable, not as a timeout", async () => {
    const result = await new SearchTool(new SearxngBackend({ baseUrl: closedBase, timeoutMs: 5000 })).run("Orvel bridge");
    expect(result.error).toBe("unreachable");
    expect(result.response).toMatch(/^search backend unreachable: could not connect to 127\.0\.0\.1:\d+/);
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = new SearchTool(new WikipediaBackend({ endpoint: `${silent.base}/w/api.php`, timeoutMs: 5000 })).run("Orvel bridge", controller.signal);
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(result.error).toBe("aborted");
  });
});

describe("parseBackendSpec / createSearchBackend", () => {
  it("reads the CLI's backend names", () => {
    expect(parseBackendSpec("local")).toEqual({ kind: "local" });
    expect(parseBackendSpec("wikipedia")).toEqual({ kind: "wikipedia" });
    expect(parseBackendSpec(`searxng:${searx.base}`)).toEqual({ kind: "searxng", baseUrl: searx.base });
    expect(() => parseBackendSpec("bing")).toThrow(UnknownBackendError);
    expect(() => parseBackendSpec("searxng:")).toThrow(/searxng:<base url>/);
    expect(createSearchBackend({ kind: "searxng", baseUrl: searx.base }).id).toBe(`searxng:${searx.base}`);
    expect(() => createSearchBackend({ kind: "local" })).toThrow(/needs an index/);
  });
});
