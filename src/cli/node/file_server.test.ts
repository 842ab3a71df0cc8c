// Checks the command line's localhost file server (file_server.ts) with real HTTP requests on a temporary folder
// with real symbolic links: malformed requests, the token, CORS and Host, ranges, methods, confined writes, and
// reads through a Hugging Face cache snapshot (every file a link into ../../blobs). Node, no GPU.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readJson, readText } from "../../io/source";
import { urlFileSet } from "../../sources/url";
import { FileServer } from "./file_server";

const server = new FileServer();
const tmp = mkdtempSync(join(tmpdir(), "tapo-files-"));
let served: { base: string; names: string[] };
beforeAll(async () => {
  await server.start();
  mkdirSync(join(tmp, "model"));
  writeFileSync(join(tmp, "model", "digits.txt"), "0123456789");
  served = server.serve(join(tmp, "model"));
});
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** Sends exactly `path` (no URL normalising, unlike fetch) to the server that `base` names. */
function send(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject).end(init.body);
  });
}

/** A fresh served folder, and the folder on disk. */
function folder(name: string): { base: string; dir: string } {
  const dir = join(tmp, name);
  return { base: server.serveFolder(dir), dir };
}

describe("malformed requests", () => {
  it("answers bad percent-encoding and non-path targets with 400 and keeps serving", async () => {
    for (const path of ["/%E0%A4%A", `${new URL(served.base).pathname}%E0%A4%A`, "/%", `${served.base}digits.txt`]) {
      expect((await send(served.base, path)).status, path).toBe(400);
    }
    const good = await fetch(`${served.base}digits.txt`);
    expect([good.status, await good.text()]).toEqual([200, "0123456789"]);
  });

  it("answers a failing file operation with 4xx, cleans up a cut upload, and keeps serving", async () => {
    const { base, dir } = folder("clash");
    expect((await fetch(`${base}a.txt`, { method: "PUT", body: "a" })).status).toBe(201);
    const under = await fetch(`${base}a.txt/b.txt`, { method: "PUT", body: "b" }); // a.txt is a file
    expect(under.status).toBeGreaterThanOrEqual(400);
    expect(under.status).toBeLessThan(500);
    expect((await fetch(`${base}a.txt/b.txt`)).status).toBe(404);
    // An upload cut halfway: the connection drops, the server stays up and leaves no .partial file.
    await new Promise<void>((resolve) => {
      const { hostname, port, pathname } = new URL(`${base}cut.bin`);
      const req = request({ host: hostname, port, path: pathname, method: "PUT", headers: { "Content-Length": "1000" } });
      req.on("error", () => resolve());
      req.write("only ten b", () => setTimeout(() => req.destroy(), 50));
      req.on("close", () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(dir)).toEqual(["a.txt"]);
    expect(await (await fetch(`${base}a.txt`)).text()).toBe("a");
  });
});

describe("the token", () => {
  it("is 128 random bits from node:crypto in the first path segment, and a wrong one is a 404", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    const others = [new FileServer(), new FileServer()];
    try {
      await Promise.all(others.map((s) => s.start()));
      const bases = others.map((s) => new URL(s.serve(join(tmp, "model")).base).pathname);
      for (const path of bases) expect(path).toMatch(/^\/[A-Za-z0-9_-]{22}\/f0\/$/); // 22 base64url characters: 128 bits
      expect(bases[0]!.split("/")[1]).not.toBe(bases[1]!.split("/")[1]);
    } finally {
      random.mockRestore();
      await Promise.all(others.map((s) => s.stop()));
    }
    const token = new URL(served.base).pathname.split("/")[1]!;
    const wrong = served.base.replace(token, (token[0] === "A" ? "B" : "A") + token.slice(1));
    expect((await fetch(`${wrong}digits.txt`)).status).toBe(404);
    expect((await fetch(served.base.replace(`${token}/`, "") + "digits.txt")).status).toBe(404);
  });
});

describe("who may ask", () => {
  const page = "http://127.0.0.1:5173";
  beforeAll(() => server.allowOrigin(page));
  const url = () => `${served.base}digits.txt`;

  it("answers the host page's origin with CORS headers for that origin only", async () => {
    const ok = await fetch(url(), { headers: { Origin: page } });
    expect([ok.status, ok.headers.get("access-control-allow-origin")]).toEqual([200, page]);
    const preflight = await fetch(url(), { method: "OPTIONS", headers: { Origin: page, "Access-Control-Request-Method": "PUT" } });
    expect([preflight.status, preflight.headers.get("access-control-allow-origin")]).toEqual([204, page]);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Range");
  });

  it("refuses other origins with 403 and no CORS headers, and needs none without an Origin header", async () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:5174", "null"]) {
      for (const method of ["GET", "OPTIONS"]) {
        const res = await fetch(url(), { method, headers: { Origin: origin } });
        expect(res.status, `${method} from ${origin}`).toBe(403);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
    const plain = await fetch(url()); // Node's fetch, as under --runtime node: no Origin
    expect([plain.status, plain.headers.get("access-control-allow-origin")]).toEqual([200, null]);
    expect(() => server.allowOrigin("http://127.0.0.1:5173/host.html")).toThrow(/origin/);
  });

  it("refuses a request whose Host is not this server (a DNS-rebinding page)", async () => {
    const path = new URL(url()).pathname;
    expect((await send(served.base, path, { headers: { Host: "evil.example" } })).status).toBe(403);
    expect((await send(served.base, path)).status).toBe(200);
  });
});

describe("reads", () => {
  it("answers one byte range, a suffix range, and 416 for a malformed or unsatisfiable one", async () => {
    const get = (range: string) => fetch(`${served.base}digits.txt`, { headers: { Range: range } });
    const mid = await get("bytes=2-4");
    expect([mid.status, mid.headers.get("content-range"), await mid.text()]).toEqual([206, "bytes 2-4/10", "234"]);
    const tail = await get("bytes=-3");
    expect([tail.status, await tail.text()]).toEqual([206, "789"]);
    for (const bad of ["bytes=abc", "bytes=0-1,4-5", "bytes=-", "bytes=10-", "bytes=5-2", "items=0-1"]) {
      const res = await get(bad);
      expect([res.status, res.headers.get("content-range")], bad).toEqual([416, "bytes */10"]);
    }
  });

  it("follows the symbolic links of a Hugging Face cache snapshot, skipping broken links and loops", async () => {
    const repo = join(tmp, "hub", "models--org--tiny");
    const snapshot = join(repo, "snapshots", "0123abc");
    mkdirSync(join(repo, "blobs"), { recursive: true });
    mkdirSync(join(snapshot, "nested"), { recursive: true });
    writeFileSync(join(repo, "blobs", "c0nf1g"), JSON.stringify({ model_type: "qwen2" }));
    writeFileSync(join(repo, "blobs", "w31ght5"), "safetensors bytes");
    symlinkSync("../../blobs/c0nf1g", join(snapshot, "config.json"));
    symlinkSync("../../blobs/w31ght5", join(snapshot, "model.safetensors"));
    symlinkSync("../../../blobs/c0nf1g", join(snapshot, "nested", "extra.json"));
    symlinkSync("../../blobs/missing", join(snapshot, "broken.json"));
    symlinkSync("..", join(snapshot, "nested", "loop"));
    const files = server.serve(snapshot);
    expect(files.names).toEqual(["config.json", "model.safetensors", "nested/extra.json"]);
    const set = await urlFileSet(files.base, files.names); // how the engine opens a served model
    expect(await readJson(set.get("config.json")!)).toEqual({ model_type: "qwen2" });
    expect(await readText(set.get("model.safetensors")!)).toBe("safetensors bytes");
    expect(new TextDecoder().decode(await set.get("model.safetensors")!.read(12, 5))).toBe("bytes");
  });
});

describe("methods", () => {
  it("answers a method an URL does not take with 405 and the methods it does", async () => {
    const upload = server.acceptUpload(join(tmp, "grad.bin"));
    const { base } = folder("methods");
    const cases: [string, string, string][] = [
      [`${served.base}digits.txt`, "POST", "GET, HEAD"],
      [`${served.base}digits.txt`, "PUT", "GET, HEAD"],
      [upload, "GET", "PUT"],
      [`${base}x.txt`, "PATCH", "GET, HEAD, PUT, DELETE"],
    ];
    for (const [url, method, allow] of cases) {
      const res = await fetch(url, { method });
      expect([res.status, res.headers.get("allow")], `${method} ${url}`).toEqual([405, allow]);
    }
    expect((await fetch(upload, { method: "PUT", body: "grad" })).status).toBe(201);
    expect(readFileSync(join(tmp, "grad.bin"), "utf8")).toBe("grad");
  });
});

describe("writes", () => {
  it("refuses to delete the served folder itself, but deletes what is in it", async () => {
    const { base, dir } = folder("keep-root");
    await fetch(`${base}a/b.txt`, { method: "PUT", body: "b" });
    await fetch(`${base}c.txt`, { method: "PUT", body: "c" });
    for (const url of [base, base.slice(0, -1)]) expect((await fetch(url, { method: "DELETE" })).status).toBe(403);
    expect(readdirSync(dir).sort()).toEqual(["a", "c.txt"]);
    expect((await fetch(`${base}a`, { method: "DELETE" })).status).toBe(204);
    expect(readdirSync(dir)).toEqual(["c.txt"]);
  });

  it("refuses dot segments and encoded slashes with 400, and nothing lands outside", async () => {
    const { base } = folder("guarded/inner");
    const path = new URL(base).pathname;
    for (const tail of ["%2e%2e%2fescaped.txt", "%2e%2e/escaped.txt", "../../escaped.txt", "./x.txt", "a//b.txt", "a%5C..%5C..%5Cescaped.txt", "%2E%2E"]) {
      const res = await send(base, path + tail, { method: "PUT", body: "x" });
      expect(res.status, tail).toBe(400);
    }
    const files = new URL(served.base).pathname;
    expect((await send(served.base, `${files}..%2F..%2Fmodel%2Fdigits.txt`)).status).toBe(400);
    expect(existsSync(join(tmp, "guarded", "escaped.txt")) || existsSync(join(tmp, "escaped.txt"))).toBe(false);
  });

  it("keeps writes, deletes and reads inside the folder after following symbolic links", async () => {
    const outside = join(tmp, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "keep.txt"), "keep");
    writeFileSync(join(outside, "secret.txt"), "secret");
    const { base, dir } = folder("out");
    mkdirSync(join(dir, "real"));
    symlinkSync(outside, join(dir, "linkdir"));
    symlinkSync(join(outside, "secret.txt"), join(dir, "linkfile"));
    symlinkSync(join(outside, "nothing"), join(dir, "dangling"));
    symlinkSync("real", join(dir, "alias")); // a link that stays inside is fine
    const refused: [string, string][] = [
      ["PUT", "linkdir/x.txt"],
      ["PUT", "linkdir/new/deep.txt"],
      ["PUT", "linkfile"],
      ["PUT", "dangling/x.txt"],
      ["DELETE", "linkdir/keep.txt"],
      ["GET", "linkdir/keep.txt"],
      ["GET", "linkfile"],
    ];
    for (const [method, path] of refused) {
      const res = await fetch(`${base}${path}`, { method, ...(method === "PUT" ? { body: "pwned" } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await fetch(`${base}linkdir?list`)).status).toBe(403);
    expect(readdirSync(outside).sort()).toEqual(["keep.txt", "secret.txt"]);
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("secret");
    expect((await fetch(`${base}alias/y.txt`, { method: "PUT", body: "y" })).status).toBe(201);
    expect(readFileSync(join(dir, "real", "y.txt"), "utf8")).toBe("y");
    expect(readdirSync(join(dir, "real"))).toEqual(["y.txt"]); // written beside, renamed: no .partial left
  });
});
