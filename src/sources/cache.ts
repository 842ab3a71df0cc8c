// The model cache: downloaded model files kept in the browser so the second
// load works offline. One folder per model in the Origin Private File System
// (OPFS), one OPFS file per model file, and a manifest.json saying each file's
// expected size and whether it is complete.
//
// Why OPFS and not Cache Storage:
// - Range reads: an OPFS file is read with getFile().slice(a, b), which reads
//   only those bytes from disk; Cache Storage hands back a Response whose body
//   is a stream from byte 0 (blob() on it may or may not stay on disk).
// - Files over several GB and streaming writes: createWritable() takes chunks
//   as they arrive, into a swap file committed on close(); a Cache Storage
//   put() needs the whole Response, so the download cannot be split or resumed.
// - Resume: a cut download commits what arrived (close() in the error path);
//   the next download reopens the file with keepExistingData and seeks to its
//   end. Only the manifest, written after a file's size is verified, marks a
//   file (and, after the last, the model) complete, so a partial file is never
//   served as whole.
// - Quota and persistence are the same for both (the origin's quota, checked
//   with navigator.storage.estimate(); navigator.storage.persist() asked once
//   so the browser does not evict a multi-GB model under pressure).
// - Safari: OPFS since 15.2, createWritable since Safari 26 (the same release
//   that brings WebGPU), so every browser that runs the engine has it.
import { blobSource, type ByteSource, type FileSet } from "../io/source";
import { LoadCancelledError, throwIfCancelled } from "../loader/load_progress";
import { formatBytes } from "../util/format_bytes";
import { type DownloadProgress, progressOf, RateMeter } from "./progress";

const ROOT = "tapo-models";
const MANIFEST = "manifest.json";

type ManifestFile = { name: string; size: number; done: boolean };
/** `commit`: the Hub commit the files come from, and `revision` the branch or tag asked for (absent for other sources). */
type Manifest = { v: 1; id: string; label: string; files: ManifestFile[]; complete: boolean; updated: string; revision?: string; commit?: string };

export type CachedModel = {
  /** The cache key: the hub id, or the label of the copied FileSet. */
  id: string;
  /** Bytes the complete model takes. */
  bytes: number;
  /** Bytes on disk now (less than `bytes` while incomplete). */
  bytesStored: number;
  /** True once every file arrived whole; an incomplete model is resumed by downloading it again. */
  complete: boolean;
  files: number;
  updated: string;
};

/** This browser has no Origin Private File System (or it is blocked, e.g. in private windows). */
export class CacheUnavailableError extends Error {
  constructor(detail: string) {
    super(`the model cache is not available in this browser (${detail}); models will be read from their source each time`);
    this.name = "CacheUnavailableError";
  }
}

/** Not enough storage quota for the download. */
export class StorageQuotaError extends Error {
  constructor(readonly needed: number, readonly free: number) {
    super(
      `the download needs ${formatBytes(needed)} but the browser lets this site store only ${formatBytes(free)} more: ` +
        "delete cached models, free disk space, or choose a smaller model or quantized GGUF file",
    );
    this.name = "StorageQuotaError";
  }
}

/** The model is not (completely) in the cache. */
export class CacheMissError extends Error {
  constructor(id: string, partial: boolean) {
    super(
      partial
        ? `the cached copy of ${id} is incomplete (its download was interrupted): download it again to resume, or delete it`
        : `${id} is not in the model cache: download it first`,
    );
    this.name = "CacheMissError";
  }
}

/** OPFS entry names may not hold "/": model ids and file paths are percent-encoded. */
const encode = (name: string) => encodeURIComponent(name);
const fileEntry = (name: string) => `f_${encode(name)}`;

function storage(): StorageManager {
  const s = globalThis.navigator?.storage;
  if (!s || typeof s.getDirectory !== "function") throw new CacheUnavailableError("no navigator.storage.getDirectory");
  return s;
}

async function rootDir(): Promise<FileSystemDirectoryHandle> {
  try {
    return await (await storage().getDirectory()).getDirectoryHandle(ROOT, { create: true });
  } catch (error) {
    if (error instanceof CacheUnavailableError) throw error;
    throw new CacheUnavailableError(error instanceof Error ? error.message : String(error));
  }
}

/** A directory's child handles (the DOM typings in use lack the async iterator). */
async function children(dir: FileSystemDirectoryHandle): Promise<FileSystemHandle[]> {
  const out: FileSystemHandle[] = [];
  const iterable = dir as unknown as { values(): AsyncIterable<FileSystemHandle> };
  for await (const h of iterable.values()) out.push(h);
  return out;
}

async function writeText(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await w.write(text);
  await w.close();
}

async function readManifest(dir: FileSystemDirectoryHandle): Promise<Manifest | undefined> {
  try {
    const file = await (await dir.getFileHandle(MANIFEST)).getFile();
    const m = JSON.parse(await file.text()) as Manifest;
    return m.v === 1 && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

async function writeManifest(dir: FileSystemDirectoryHandle, m: Manifest): Promise<void> {
  m.updated = new Date().toISOString();
  await writeText(dir, MANIFEST, JSON.stringify(m));
}

/** The stored size of a model file (0 when absent). */
async function storedSize(dir: FileSystemDirectoryHandle, name: string): Promise<number> {
  try {
    return (await (await dir.getFileHandle(fileEntry(name))).getFile()).size;
  } catch {
    return 0;
  }
}

/** True when the browser offers the cache (OPFS). */
export function isCacheAvailable(): boolean {
  return typeof globalThis.navigator?.storage?.getDirectory === "function";
}

/** Every model in the cache, complete or not, with sizes. */
export async function listCachedModels(): Promise<CachedModel[]> {
  const root = await rootDir();
  const out: CachedModel[] = [];
  for (const h of await children(root)) {
    if (h.kind !== "directory") continue;
    const dir = h as FileSystemDirectoryHandle;
    const m = await readManifest(dir);
    const id = m?.id ?? decodeURIComponent(h.name);
    let stored = 0;
    for (const f of m?.files ?? []) stored += await storedSize(dir, f.name);
    const bytes = (m?.files ?? []).reduce((a, f) => a + f.size, 0);
    out.push({ id, bytes, bytesStored: stored, complete: m?.complete === true, files: m?.files.length ?? 0, updated: m?.updated ?? "" });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Removes a model (complete or partial) from the cache; no error when it is not there. */
export async function deleteCachedModel(id: string): Promise<void> {
  const root = await rootDir();
  try {
    await root.removeEntry(encode(id), { recursive: true });
  } catch (error) {
    if (!(error instanceof DOMException && error.name === "NotFoundError")) throw error;
  }
}

/** A complete cached model as a FileSet; reads are File.slice ranges from disk. Throws CacheMissError otherwise. */
export async function cachedFileSet(id: string): Promise<FileSet> {
  const root = await rootDir();
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await root.getDirectoryHandle(encode(id));
  } catch {
    throw new CacheMissError(id, false);
  }
  const m = await readManifest(dir);
  if (!m?.complete) throw new CacheMissError(id, m !== undefined);
  const sources = new Map<string, ByteSource>();
  for (const f of m.files) {
    const file = await (await dir.getFileHandle(fileEntry(f.name))).getFile();
    if (file.size !== f.size) {
      m.complete = false;
      f.done = false;
      await writeManifest(dir, m);
      throw new CacheMissError(id, true);
    }
    sources.set(f.name, blobSource(f.name, file));
  }
  return { label: m.label, list: () => [...sources.keys()], get: (n) => sources.get(n) };
}

export type DownloadOptions = {
  onProgress: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Cache key (default: the FileSet's label, e.g. the hub id). */
  id?: string;
  /** Bytes per read and write (default 8 MiB). */
  chunkBytes?: number;
  /** The branch or tag the files were asked at (recorded beside `files.commit`, see pinnedCommit). */
  revision?: string;
};

/**
 * The commit an incomplete download of `id` at `revision` was reading, so that finishing it reads the same
 * commit even if the branch has moved since; undefined when there is none (or the cache is unavailable).
 */
export async function pinnedCommit(id: string, revision: string): Promise<string | undefined> {
  try {
    const dir = await (await rootDir()).getDirectoryHandle(encode(id));
    const m = await readManifest(dir);
    return m && !m.complete && m.commit && (m.revision ?? "main") === revision ? m.commit : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the quota for `needed` more bytes and asks for persistent storage. */
async function prepareStorage(needed: number): Promise<void> {
  const s = storage();
  if (typeof s.persist === "function") await s.persist().catch(() => false);
  if (typeof s.estimate !== "function") return;
  const { quota, usage } = await s.estimate();
  if (quota === undefined) return;
  const free = Math.max(0, quota - (usage ?? 0));
  if (needed > free) throw new StorageQuotaError(needed, free);
}

/** Copies one file from `pos` to its end into the cache, committing what arrived even when cut. */
async function copyFile(
  dir: FileSystemDirectoryHandle,
  source: ByteSource,
  pos: number,
  chunk: number,
  signal: AbortSignal | undefined,
  advance: (bytes: number) => void,
): Promise<void> {
  const handle = await dir.getFileHandle(fileEntry(source.name), { create: true });
  const writable = await handle.createWritable({ keepExistingData: pos > 0 });
  try {
    if (pos > 0) await writable.truncate(pos);
    await writable.seek(pos);
    while (pos < source.size) {
      throwIfCancelled(signal);
      const n = Math.min(chunk, source.size - pos);
      const bytes = await source.read(pos, n, signal);
      if (bytes.length !== n) throw new Error(`${source.name}: asked for ${n} bytes at ${pos}, got ${bytes.length}`);
      await writable.write(bytes as Uint8Array<ArrayBuffer>);
      pos += n;
      advance(n);
    }
  } finally {
    // Commit what arrived either way: the manifest (not the file) says whether it is whole,
    // and a later download resumes from the committed length.
    await writable.close().catch(() => undefined);
  }
  const size = (await handle.getFile()).size;
  if (size !== source.size) {
    throw new Error(`${source.name}: the cache holds ${size} bytes after copying but the file has ${source.size}; download it again`);
  }
}

/**
 * Copies every file of `files` into the cache with progress (bytes, rate, time left) and cancel, and returns
 * the cached copy as a FileSet. Resumes a partial copy of the same files; starts over when the files, or the Hub
 * commit they come from, differ.
 * Throws StorageQuotaError before writing when the quota is short, LoadCancelledError when `signal` fires.
 */
export async function downloadModel(files: FileSet, opts: DownloadOptions): Promise<FileSet> {
  const id = opts.id ?? files.label;
  const chunk = opts.chunkBytes ?? 8 * 2 ** 20;
  const sources = files.list().map((n) => {
    const s = files.get(n);
    if (!s) throw new Error(`${files.label} lists ${n} but cannot open it`);
    return { name: n, source: s };
  });
  const root = await rootDir();
  const existing = await root.getDirectoryHandle(encode(id)).catch(() => undefined);
  const previous = existing ? await readManifest(existing) : undefined;
  const same =
    previous !== undefined &&
    previous.commit === files.commit &&
    previous.files.length === sources.length &&
    previous.files.every((f, i) => f.name === sources[i]!.name && f.size === sources[i]!.source.size);
  if (previous && same && previous.complete) return cachedFileSet(id);
  const manifest: Manifest = same
    ? previous
    : {
        v: 1,
        id,
        label: files.label,
        files: sources.map((s) => ({ name: s.name, size: s.source.size, done: false })),
        complete: false,
        updated: "",
        ...(files.commit ? { commit: files.commit, ...(opts.revision ? { revision: opts.revision } : {}) } : {}),
      };

  const starts: number[] = [];
  let total = 0;
  let done = 0;
  for (const f of manifest.files) {
    const stored = f.done ? f.size : same && existing ? await storedSize(existing, f.name) : 0;
    const start = stored <= f.size ? stored : 0;
    starts.push(start);
    total += f.size;
    done += start;
  }
  await prepareStorage(total - done);
  // Only now, with the quota checked, touch the cache: a different file set starts over.
  const dir = existing ?? (await root.getDirectoryHandle(encode(id), { create: true }));
  if (!same) {
    for (const h of await children(dir)) await dir.removeEntry(h.name, { recursive: true });
  }
  await writeManifest(dir, manifest);

  const meter = new RateMeter();
  const begun = performance.now();
  meter.sample(begun, 0);
  let copied = 0;
  let file = "";
  const report = () => opts.onProgress(progressOf(done, total, file, meter.rate()));
  report();
  for (const [i, f] of manifest.files.entries()) {
    if (f.done) continue;
    throwIfCancelled(opts.signal);
    file = f.name;
    report();
    const source = sources[i]!.source;
    await copyFile(dir, source, starts[i]!, chunk, opts.signal, (n) => {
      done += n;
      copied += n;
      meter.sample(performance.now(), copied);
      report();
    });
    f.done = true;
    await writeManifest(dir, manifest);
  }
  if (opts.signal?.aborted) throw new LoadCancelledError();
  manifest.complete = true;
  await writeManifest(dir, manifest);
  report();
  return cachedFileSet(id);
}
