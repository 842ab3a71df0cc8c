// The Python sandbox's worker: the code that runs in the data: worker the gate
// starts (sandbox_gate.ts), with an opaque origin and the gate's
// Content-Security-Policy. vite_plugin.ts bundles this file and what it imports
// into one ES module, which the Python tool hands to the gate as text
// (`virtual:tapo-python-sandbox`). It boots Pyodide from files the tool sends
// (the worker can fetch nothing), closes what boot needed (blob: URLs, nested
// workers, fetch), arms the call fence and serves PythonHost over the tool's
// MessagePort (comlink).
import { expose } from "comlink";
import type { PyodideAPI } from "pyodide";
import { installCallFence } from "./call_fence.ts";
import { NetworkBlockedError } from "./network_block.ts";
import { type HostBootInfo, type HostBootOptions, type HostCallResult, PythonHost } from "./python_host.ts";

// Before Pyodide loads, so every scheduler it and the code use is the fence's.
const fence = installCallFence(globalThis as unknown as Parameters<typeof installCallFence>[0]);

/** Pyodide's files and the package wheels, fetched by the tool from the app and the package index. */
export type SandboxRuntime = {
  /** pyodide.asm.mjs, the module that instantiates the interpreter. */
  asm: ArrayBuffer;
  /** pyodide-lock.json, parsed. */
  lock: object;
  /** Absolute URL → body (or why it could not be fetched): pyodide.asm.wasm, python_stdlib.zip and the wheels. */
  files: Record<string, ArrayBuffer | string>;
};

export type SandboxBootOptions = Omit<HostBootOptions, "loadOptions" | "blockNetwork"> & { runtime: SandboxRuntime };

/** Answers fetch() from the runtime's files only; anything else is refused without a request. */
function fetchFromMemory(files: SandboxRuntime["files"]): typeof fetch {
  return async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = files[url];
    if (body === undefined) throw new NetworkBlockedError(`fetch(${url})`);
    if (typeof body === "string") throw new TypeError(`${url} could not be fetched: ${body}`);
    const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
    return new Response(body, { headers: { "Content-Type": type } });
  };
}

/** Imports an ES module from its text through a blob: URL (the only scripts this worker's policy admits). */
async function importText(text: ArrayBuffer): Promise<Record<string, unknown>> {
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Takes away what only boot needed: making blob: URLs (new scripts) and starting workers. */
function closeBootRoutes(): void {
  const refuse = (what: string) =>
    function refused(): never {
      throw new NetworkBlockedError(what);
    };
  Object.defineProperty(URL, "createObjectURL", { value: refuse("URL.createObjectURL"), writable: false, configurable: false });
}

/** Routes Pyodide's own scheduler (asyncio's event loop uses it) through the fence. */
function fenceScheduler(pyodide: PyodideAPI): void {
  const api = (pyodide as unknown as { _api: { scheduleCallback: (callback: () => void, ms?: number) => void } })._api;
  const gated = fence.gate(api.scheduleCallback);
  api.scheduleCallback = gated;
  const webloop = pyodide.pyimport("pyodide.webloop") as unknown as { scheduleCallback: unknown; destroy(): void };
  webloop.scheduleCallback = gated;
  webloop.destroy();
}

/** PythonHost as the tool sees it through the port: boot from memory, and every call fenced. */
export class SandboxHost {
  private readonly host = new PythonHost();

  async boot(options: SandboxBootOptions): Promise<HostBootInfo> {
    const { runtime, ...rest } = options;
    const createPyodideModule = (await importText(runtime.asm)).default;
    Object.defineProperty(globalThis, "fetch", { value: fetchFromMemory(runtime.files), writable: true, configurable: true });
    const info = await this.host.boot({
      ...rest,
      loadOptions: { createPyodideModule, lockFileContents: runtime.lock } as HostBootOptions["loadOptions"],
    });
    // host.boot replaced fetch (and the other network globals) by throwing stubs.
    fenceScheduler(this.host.interpreter!);
    closeBootRoutes();
    fence.arm();
    return info;
  }

  run(session: string, code: string, cap: number, limitMs: number): HostCallResult {
    fence.begin();
    try {
      return this.host.run(session, code, cap, limitMs);
    } finally {
      fence.end();
    }
  }

  endSession(session: string): boolean {
    return this.host.endSession(session);
  }
}

/** Called by the gate's bootstrap with the tool's end of the channel. */
export function start(port: MessagePort): void {
  expose(new SandboxHost(), port);
}
