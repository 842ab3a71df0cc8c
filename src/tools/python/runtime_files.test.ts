// Checks what the Python tool sends its sandbox to boot from (Node, no GPU): the closure of the packages asked for in
// Pyodide's lock file, each wheel fetched once with its lock file's sha256 as integrity, and a failure recorded, not thrown.
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { packageClosure, sandboxRuntime, type CoreFiles } from "./runtime_files.ts";

const lock = createRequire(import.meta.url)("pyodide/pyodide-lock.json") as CoreFiles["lock"];

afterEach(() => vi.unstubAllGlobals());

describe("packageClosure", () => {
  it("adds dependencies, canonicalises names and leaves out unknown ones", () => {
    expect(packageClosure(lock, ["sympy"])).toEqual(["mpmath", "sympy"]);
    expect(packageClosure(lock, ["NumPy", "no-such-package"])).toEqual(["numpy"]);
    expect(packageClosure(lock, [])).toEqual([]);
  });
});

describe("sandboxRuntime", () => {
  const core: CoreFiles = { asm: new ArrayBuffer(1), wasm: new ArrayBuffer(2), stdlib: new ArrayBuffer(3), lock };

  it("fetches each wheel once, under the package index, with the lock file's sha256 as integrity", async () => {
    const calls: Array<[string, string | undefined]> = [];
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      calls.push([url, init?.integrity]);
      return new Response(new Uint8Array([1, 2, 3]));
    });
    const wheels = new Map<string, ArrayBuffer>();
    const index = "https://packages.example/pyodide/";
    const runtime = await sandboxRuntime(core, "http://app.example/pyodide/", index, ["sympy"], wheels);
    const sympy = `${index}${lock.packages.sympy!.file_name}`;
    const mpmath = `${index}${lock.packages.mpmath!.file_name}`;
    expect(Object.keys(runtime.files).sort()).toEqual(
      ["http://app.example/pyodide/pyodide.asm.wasm", "http://app.example/pyodide/python_stdlib.zip", mpmath, sympy].sort(),
    );
    const hex = lock.packages.sympy!.sha256;
    const base64 = Buffer.from(hex, "hex").toString("base64");
    expect(calls).toContainEqual([sympy, `sha256-${base64}`]);
    await sandboxRuntime(core, "http://app.example/pyodide/", index, ["sympy"], wheels);
    expect(calls).toHaveLength(2); // the second boot uses the wheels already fetched
  });

  it("records why a wheel could not be fetched instead of failing the boot", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const runtime = await sandboxRuntime(core, "http://app.example/pyodide/", "http://127.0.0.1:9/", ["numpy"], new Map());
    const url = `http://127.0.0.1:9/${lock.packages.numpy!.file_name}`;
    expect(runtime.files[url]).toMatch(/could not read .* \(Failed to fetch\)/);
  });
});
