// What the Python sandbox's worker boots from, fetched on the tool's side: the
// worker can fetch nothing, so the tool reads Pyodide's files from the app
// (`<base>pyodide/`) and, when packages are asked for, their wheels and those
// of their dependencies from the package index (checked against the lock
// file's sha256), and sends them in. This is the only network the Python tool
// uses, and only while a worker boots.
import type { SandboxRuntime } from "./sandbox_worker.ts";

/** The entries of pyodide-lock.json this file reads. */
type LockFile = { packages: Record<string, { file_name: string; depends: string[]; sha256: string }> };

/** Pyodide's core files, as fetched once per tool. */
export type CoreFiles = { asm: ArrayBuffer; wasm: ArrayBuffer; stdlib: ArrayBuffer; lock: LockFile };

/** Raised when Pyodide's own files cannot be read from the app. */
export class RuntimeFetchError extends Error {
  constructor(url: string, why: string) {
    super(`could not read ${url} (${why}): check that the app serves Pyodide's files at that address (vite_plugin.ts)`);
    this.name = "RuntimeFetchError";
  }
}

async function fetchBytes(url: string, init?: RequestInit): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new RuntimeFetchError(url, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw new RuntimeFetchError(url, `HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Fetches pyodide.asm.mjs/.wasm, python_stdlib.zip and pyodide-lock.json from `indexURL` (ends in "/"). */
export async function fetchCoreFiles(indexURL: string): Promise<CoreFiles> {
  const [asm, wasm, stdlib, lockBytes] = await Promise.all(
    ["pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"].map((name) => fetchBytes(indexURL + name)),
  );
  const lock = JSON.parse(new TextDecoder().decode(lockBytes)) as LockFile;
  return { asm: asm!, wasm: wasm!, stdlib: stdlib!, lock };
}

/** Pyodide's form of a package name (canonicalizePackageName). */
function canonical(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** The lock file's names of `packages` and of everything they depend on; unknown names are left out. */
export function packageClosure(lock: LockFile, packages: string[]): string[] {
  const seen = new Set<string>();
  const todo = packages.map(canonical);
  while (todo.length > 0) {
    const name = todo.pop()!;
    const entry = lock.packages[name];
    if (seen.has(name) || !entry) continue;
    seen.add(name);
    todo.push(...entry.depends.map(canonical));
  }
  return [...seen].sort();
}

/** A hex sha256 as a Subresource Integrity value. */
function integrity(sha256Hex: string): string {
  const bytes = sha256Hex.match(/../g)!.map((h) => parseInt(h, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The runtime the sandbox boots from: the core files (copies: they are transferred away) under `indexURL`, and
 * each wheel of `packages`' closure under `packageIndexURL` (or why it could not be fetched).
 * @param wheels cache of fetched wheels by URL, kept by the tool across restarts
 */
export async function sandboxRuntime(
  core: CoreFiles,
  indexURL: string,
  packageIndexURL: string,
  packages: string[],
  wheels: Map<string, ArrayBuffer>,
): Promise<SandboxRuntime> {
  const files: SandboxRuntime["files"] = {
    [new URL("pyodide.asm.wasm", indexURL).href]: core.wasm.slice(0),
    [new URL("python_stdlib.zip", indexURL).href]: core.stdlib.slice(0),
  };
  await Promise.all(
    packageClosure(core.lock, packages).map(async (name) => {
      const entry = core.lock.packages[name]!;
      const url = new URL(entry.file_name, packageIndexURL).href;
      try {
        let body = wheels.get(url);
        if (!body) {
          body = await fetchBytes(url, { integrity: integrity(entry.sha256) });
          wheels.set(url, body);
        }
        files[url] = body.slice(0);
      } catch (error) {
        files[url] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return { asm: core.asm.slice(0), lock: core.lock, files };
}
