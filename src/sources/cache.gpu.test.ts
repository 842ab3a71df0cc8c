// Checks the OPFS model cache in headless Chromium (browser needed, no GPU used): downloadModel streams files in
// with progress, reads ranges back, lists and deletes; an aborted download is not complete and resumes; quota is checked.
import { afterEach, describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { LoadCancelledError } from "../loader/load_progress";
import { freshSeed, mulberry32 } from "../util/random";
import {
  CacheMissError,
  cachedFileSet,
  deleteCachedModel,
  downloadModel,
  listCachedModels,
  pinnedCommit,
  StorageQuotaError,
} from "./cache";
import type { DownloadProgress } from "./progress";

const seed = freshSeed();
const rand = mulberry32(seed);
const randomBytes = (n: number) => new Uint8Array(n).map(() => Math.floor(rand() * 256));
const created: string[] = [];

function model(id: string) {
  created.push(id);
  const files = {
    "config.json": new TextEncoder().encode('{"model_type":"qwen2"}'),
    "model-00001-of-00002.safetensors": randomBytes(40_000 + Math.floor(rand() * 20_000)),
    "sub/model-00002-of-00002.safetensors": randomBytes(30_000 + Math.floor(rand() * 20_000)),
  };
  const set = fileSet(id, Object.entries(files).map(([n, b]) => bytesSource(n, b)));
  return { files, set, total: Object.values(files).reduce((a, b) => a + b.length, 0) };
}

afterEach(async () => {
  for (const id of created.splice(0)) await deleteCachedModel(id);
});

describe(`model cache (seed ${seed})`, () => {
  it("copies a model in with progress, serves ranges, lists and deletes it", async () => {
    const id = `test/cache-${seed}`;
    const { files, set, total } = model(id);
    const seen: DownloadProgress[] = [];
    const cached = await downloadModel(set, { onProgress: (p) => seen.push(p), chunkBytes: 4096 });
    expect(seen.length).toBeGreaterThan(total / 4096);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
    expect(seen.at(-1)).toMatchObject({ bytesDone: total, bytesTotal: total, secondsLeft: 0 });
    expect(cached.list().sort()).toEqual(Object.keys(files).sort());
    const again = await cachedFileSet(id);
    for (const [name, bytes] of Object.entries(files)) {
      const source = again.get(name)!;
      expect(source.size).toBe(bytes.length);
      const off = Math.floor(rand() * (bytes.length - 1));
      const len = Math.min(bytes.length - off, 1 + Math.floor(rand() * 5000));
      expect([...(await source.read(off, len))], `seed ${seed}: ${name} ${off}+${len}`).toEqual([...bytes.subarray(off, off + len)]);
    }
    const listed = (await listCachedModels()).find((m) => m.id === id);
    expect(listed).toMatchObject({ complete: true, bytes: total, bytesStored: total, files: 3 });
    await deleteCachedModel(id);
    expect((await listCachedModels()).some((m) => m.id === id)).toBe(false);
    await expect(cachedFileSet(id)).rejects.toBeInstanceOf(CacheMissError);
  });

  it("an aborted download is not listed as complete, is never served, and resumes where it stopped", async () => {
    const id = `test/abort-${seed}`;
    const { files, set, total } = model(id);
    const abort = new AbortController();
    const error = await downloadModel(set, {
      chunkBytes: 2048,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.bytesDone > total / 2) abort.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadCancelledError);
    const listed = (await listCachedModels()).find((m) => m.id === id);
    expect(listed?.complete).toBe(false);
    expect(listed!.bytesStored).toBeGreaterThan(0);
    expect(listed!.bytesStored).toBeLessThan(total);
    await expect(cachedFileSet(id)).rejects.toThrow(/incomplete/);

    const seen: DownloadProgress[] = [];
    const resumed = await downloadModel(set, { chunkBytes: 2048, onProgress: (p) => seen.push(p) });
    expect(seen[0]!.bytesDone).toBe(listed!.bytesStored);
    for (const [name, bytes] of Object.entries(files)) {
      const source = resumed.get(name)!;
      expect([...(await source.read(0, source.size))], `seed ${seed}: ${name}`).toEqual([...bytes]);
    }
    expect((await listCachedModels()).find((m) => m.id === id)?.complete).toBe(true);
  });

  it("pins an interrupted Hub download to its commit, and starts over when the files come from another commit", async () => {
    const id = `test/pin-${seed}`;
    const { files, set, total } = model(id);
    const [commitA, commitB] = ["a".repeat(40), "b".repeat(40)];
    const atA = { ...set, commit: commitA };
    const abort = new AbortController();
    await downloadModel(atA, {
      revision: "main",
      chunkBytes: 2048,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.bytesDone > total / 2) abort.abort();
      },
    }).catch(() => undefined);
    expect(await pinnedCommit(id, "main")).toBe(commitA);
    expect(await pinnedCommit(id, "v2")).toBeUndefined();
    // main moved on: the same names and sizes at another commit are other bytes, so nothing is kept.
    const flipped = Object.fromEntries(Object.entries(files).map(([n, b]) => [n, b.map((x) => x ^ 0xff)]));
    const atB = { ...fileSet(id, Object.entries(flipped).map(([n, b]) => bytesSource(n, b))), commit: commitB };
    const seen: DownloadProgress[] = [];
    const done = await downloadModel(atB, { revision: "main", chunkBytes: 2048, onProgress: (p) => seen.push(p) });
    expect(seen[0]!.bytesDone).toBe(0);
    for (const [name, bytes] of Object.entries(flipped)) {
      const source = done.get(name)!;
      expect([...(await source.read(0, source.size))], `seed ${seed}: ${name}`).toEqual([...bytes]);
    }
    expect(await pinnedCommit(id, "main")).toBeUndefined(); // complete now
  });

  it("refuses before writing when the quota is short, saying needed and free", async () => {
    const id = `test/quota-${seed}`;
    const { set, total } = model(id);
    const real = navigator.storage.estimate.bind(navigator.storage);
    const { usage = 0 } = await real();
    const free = Math.floor(total / 3);
    navigator.storage.estimate = async () => ({ quota: usage + free, usage });
    try {
      const error = await downloadModel(set, { onProgress: () => undefined }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageQuotaError);
      expect((error as StorageQuotaError).needed).toBe(total);
      expect((error as StorageQuotaError).free).toBe(free);
      expect((error as Error).message).toMatch(/needs .* but the browser lets this site store only/);
    } finally {
      navigator.storage.estimate = real;
    }
    expect((await listCachedModels()).some((m) => m.id === id)).toBe(false);
  });
});
