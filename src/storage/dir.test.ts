// Checks the StorageDir behaviours checkpoints rely on, for the in-memory folder and for the command line's
// folder over HTTP (the real localhost file server, writing to a temporary folder on disk). Node, no GPU.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileServer } from "../cli/node/file_server";
import { MemoryDir, pathParts, type StorageDir, utf8 } from "./dir";
import { HttpDir } from "./http_dir";

const server = new FileServer();
const tmp = mkdtempSync(join(tmpdir(), "tapo-dir-"));
beforeAll(() => server.start());
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const kinds: [string, () => StorageDir][] = [
  ["memory", () => new MemoryDir()],
  ["http", () => new HttpDir(server.serveFolder(join(tmp, String(Math.random()).slice(2))))],
];

describe.each(kinds)("%s folder", (_name, make) => {
  it("writes, reads, replaces, lists and removes files and folders", async () => {
    const dir = make();
    expect(await dir.read("a/b.txt")).toBeUndefined();
    expect(await dir.list("")).toEqual([]);
    await dir.write("a/b.txt", utf8("first"));
    await dir.write("a/b.txt", utf8("second, longer"));
    await dir.write("a/c/d.bin", new Uint8Array([0, 255, 7]));
    await dir.write("e.json", utf8("{}"));
    expect(new TextDecoder().decode(await dir.read("a/b.txt"))).toBe("second, longer");
    expect(Array.from((await dir.read("a/c/d.bin"))!)).toEqual([0, 255, 7]);
    expect(await dir.list("")).toEqual(["a", "e.json"]);
    expect(await dir.list("a")).toEqual(["b.txt", "c"]);
    expect(await dir.list("missing")).toEqual([]);
    await dir.remove("a");
    expect(await dir.read("a/c/d.bin")).toBeUndefined();
    expect(await dir.list("")).toEqual(["e.json"]);
    await dir.remove("not-there");
  });
});

describe("paths", () => {
  it("refuses paths that could leave the folder", async () => {
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "a//b", "./a"]) expect(() => pathParts(bad)).toThrow(/must be relative/);
    // The server refuses too, whatever a client sends: a segment holding a slash or a dot segment is malformed.
    const base = server.serveFolder(join(tmp, "guarded"));
    const res = await fetch(`${base}..%2F..%2Fescaped.txt`, { method: "PUT", body: "x" });
    expect(res.status).toBe(400);
    expect(() => readFileSync(join(tmp, "..", "escaped.txt"))).toThrow();
  });
});
