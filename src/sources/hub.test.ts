// Checks hubFileSet and urlModelFileSet against a fake Hub and file server on 127.0.0.1 (Node, real HTTP, no GPU):
// a branch resolved to one commit that every read uses, paged file listing with sizes, Range reads through resolve URLs,
// the unknown-id message, and sharded URL folders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readText } from "../io/source";
import { freshSeed, mulberry32 } from "../util/random";
import { HubIdError, HubModelNotFoundError, hubFileSet, hubFileUrl } from "./hub";
import { FAKE_COMMIT, type FakeServer, startFakeServer } from "./testing_server";
import { urlModelFileSet } from "./url";

const seed = freshSeed();
const rand = mulberry32(seed);
const randomBytes = (n: number) => new Uint8Array(n).map(() => Math.floor(rand() * 256));
const text = (s: string) => new TextEncoder().encode(s);
const weights = randomBytes(20_000 + Math.floor(rand() * 10_000));
const repo = new Map<string, Uint8Array>([
  ["config.json", text('{"model_type":"qwen2"}')],
  ["model.safetensors", weights],
  ["README.md", text("# tiny")],
]);
const shardA = randomBytes(3000);
const shardB = randomBytes(4000);
const files = new Map<string, Uint8Array>([
  ["folder/config.json", text("{}")],
  ["folder/model.safetensors.index.json", text(JSON.stringify({ weight_map: { a: "s-1.safetensors", b: "s-2.safetensors", c: "s-1.safetensors" } }))],
  ["folder/s-1.safetensors", shardA],
  ["folder/s-2.safetensors", shardB],
  ["one.gguf", randomBytes(777)],
  // A single-page-app server: every optional file's path answers its index.html with 200.
  ["spa/config.json", text('{"model_type":"qwen2"}')],
  ["spa/model.safetensors", shardA],
  ...["tokenizer_config.json", "generation_config.json", "tapo.json", "model.safetensors.index.json"].map(
    (name): [string, Uint8Array] => [`spa/${name}`, text("\n  <!doctype html><html><body>studio</body></html>")],
  ),
]);
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer({ files, repos: new Map([["Qwen/Tiny", repo]]) });
});
afterAll(() => server.close());

describe(`hubFileSet (seed ${seed})`, () => {
  it("lists every file over the paged tree API, with sizes, and reads through resolve URLs", async () => {
    const set = await hubFileSet("Qwen/Tiny", { endpoint: server.url, retries: 1, retryDelayMs: 5 });
    expect(set.label).toBe("Qwen/Tiny");
    expect(set.list().sort()).toEqual([...repo.keys()].sort());
    const st = set.get("model.safetensors")!;
    expect(st.size).toBe(weights.length);
    const off = Math.floor(rand() * (weights.length - 100));
    expect(Buffer.from(await st.read(off, 100)).equals(Buffer.from(weights.subarray(off, off + 100))), `seed ${seed}`).toBe(true);
    expect(await readText(set.get("config.json")!)).toBe('{"model_type":"qwen2"}');
    // main was resolved to a commit once, and every file was read at that commit.
    expect(set.commit).toBe(FAKE_COMMIT);
    expect(server.gets.get("/api/models/Qwen/Tiny/revision/main")).toBe(1);
    expect(server.gets.get(`/Qwen/Tiny/resolve/${FAKE_COMMIT}/model.safetensors`)).toBe(1);
    expect([...server.gets.keys()].filter((p) => p.includes("/resolve/main/") || p.endsWith("/tree/main"))).toEqual([]);
  });

  it("reads a given commit as it is, without asking the Hub what it points at", async () => {
    const commit = "a".repeat(40);
    const set = await hubFileSet("Qwen/Tiny", { endpoint: server.url, revision: commit });
    expect(set.commit).toBe(commit);
    expect(await readText(set.get("config.json")!)).toBe('{"model_type":"qwen2"}');
    expect(server.gets.get(`/Qwen/Tiny/resolve/${commit}/config.json`)).toBe(1);
    expect(server.gets.get(`/api/models/Qwen/Tiny/revision/${commit}`)).toBeUndefined();
  });

  it("says no such model for an id the Hub does not know", async () => {
    const error = await hubFileSet("nobody/none", { endpoint: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubModelNotFoundError);
    expect((error as Error).message).toBe(
      "no model named nobody/none on the Hugging Face Hub (or it is private/gated): check the id",
    );
  });

  it("refuses a malformed id before asking the Hub", async () => {
    await expect(hubFileSet("not an id", { endpoint: server.url })).rejects.toBeInstanceOf(HubIdError);
  });

  it("escapes revisions and paths in resolve URLs", () => {
    expect(hubFileUrl("Qwen/Tiny", "sub dir/a#b.json", { endpoint: "https://h.example/", revision: "refs/pr/1" })).toBe(
      "https://h.example/Qwen/Tiny/resolve/refs%2Fpr%2F1/sub%20dir/a%23b.json",
    );
  });
});

describe(`urlModelFileSet (seed ${seed})`, () => {
  it("finds the shards a folder URL's index names", async () => {
    const set = await urlModelFileSet(`${server.url}/files/folder/`, { retries: 1, retryDelayMs: 5 });
    expect(set.list().sort()).toEqual(["config.json", "model.safetensors.index.json", "s-1.safetensors", "s-2.safetensors"]);
    expect(set.get("s-2.safetensors")!.size).toBe(shardB.length);
    expect(Buffer.from(await set.get("s-1.safetensors")!.read(10, 20)).equals(Buffer.from(shardA.subarray(10, 30)))).toBe(true);
  });

  it("takes an HTML page answered for an optional file as no file (single-page-app servers)", async () => {
    const set = await urlModelFileSet(`${server.url}/files/spa/`, { retries: 1, retryDelayMs: 5 });
    expect(set.list().sort()).toEqual(["config.json", "model.safetensors"]);
    expect(set.get("model.safetensors")!.size).toBe(shardA.length);
  });

  it("takes a .gguf URL as a one-file model", async () => {
    const set = await urlModelFileSet(`${server.url}/files/one.gguf`);
    expect(set.list()).toEqual(["one.gguf"]);
    expect(set.get("one.gguf")!.size).toBe(777);
  });
});
