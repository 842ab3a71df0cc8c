// Checks the Python tool's isolation against hostile code in headless Chromium (browser, no GPU needed): code that
// reaches the JS bridge (pyodide_js, the import hook's jsproxies, js.globalThis) tries eval, import(), Cache Storage,
// FontFace, navigator.storage, IndexedDB, XMLHttpRequest, WebSocket, importScripts, fetch, BroadcastChannel and
// timers; each attempt fails with a Python error or has no effect, a listener on 127.0.0.1 receives nothing, and the
// app's OPFS, Cache Storage and IndexedDB are unchanged afterwards.
import { commands } from "vitest/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed } from "../../util/random.ts";
import { pyodideIndexURL, SANDBOX_GATE_FILE } from "./files.ts";
import { PythonTool } from "./python_tool.ts";

/** The routes from Python to the worker's JS global that digging into the interpreter finds. */
const ROUTES = {
  jsproxies: "sys.modules['_pyodide._importhook'].jsfinder.jsproxies['js']",
  globalThis: "sys.modules['_pyodide._importhook'].jsfinder.jsproxies['js'].globalThis",
  pyodide_js: "sys.modules['pyodide_js']._api.config.jsglobals",
} as const;

let tool: PythonTool;
let port: number;
let listen: string;
let storageBefore: string;
const seed = freshSeed();
const canaryDir = `isolation-canary-${seed}`;
const channelName = `tapo-isolation-${seed}`;
const heard: unknown[] = [];
let channel: BroadcastChannel;

/** Everything in this origin's OPFS: path, size and, for the canary, its text. */
async function opfsListing(dir: FileSystemDirectoryHandle, prefix = ""): Promise<string[]> {
  const lines: string[] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    const path = `${prefix}${name}`;
    if (handle.kind === "directory") lines.push(`${path}/`, ...(await opfsListing(handle as FileSystemDirectoryHandle, `${path}/`)));
    else {
      const file = await (handle as FileSystemFileHandle).getFile();
      lines.push(`${path} ${file.size}${path.startsWith(canaryDir) ? ` ${await file.text()}` : ""}`);
    }
  }
  return lines.sort();
}

/** The app origin's storage as the page sees it: OPFS, Cache Storage names, IndexedDB names. */
async function storageSnapshot(): Promise<string> {
  const opfs = await opfsListing(await navigator.storage.getDirectory());
  const cacheNames = (await caches.keys()).sort();
  const databases = (await indexedDB.databases()).map((d) => d.name ?? "").sort();
  return JSON.stringify({ opfs, cacheNames, databases });
}

beforeAll(async () => {
  port = await commands.startListener();
  listen = `http://127.0.0.1:${port}`;
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(canaryDir, { create: true });
  const writable = await (await dir.getFileHandle("canary.txt", { create: true })).createWritable();
  await writable.write(`canary ${seed}`);
  await writable.close();
  await (await caches.open(canaryDir)).put(new Request(`/${canaryDir}`), new Response("canary"));
  storageBefore = await storageSnapshot();
  channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => heard.push(event.data);
  tool = new PythonTool({ timeLimitMs: 10_000 });
  await tool.ready();
}, 120_000);

afterAll(async () => {
  tool.dispose();
  channel.close();
  await commands.stopListener(port);
  await (await navigator.storage.getDirectory()).removeEntry(canaryDir, { recursive: true });
  await caches.delete(canaryDir);
});

/** Python that binds `g` to the worker's JS global through `route`. */
function via(route: keyof typeof ROUTES): string {
  return `import sys\ng = ${ROUTES[route]}\n`;
}

/** Runs `code`; returns the response and error kind. */
async function attempt(code: string, session: string) {
  const result = await tool.run(code, session);
  return { ...result, label: `${code}\n→ ${result.error}: ${result.response}` };
}

describe("the Python sandbox", () => {
  it("runs in an opaque origin, not cross-origin isolated, in a worker started from a data: URL", async () => {
    const result = await attempt(`${via("jsproxies")}print(g.origin, g.crossOriginIsolated, g.location.protocol)`, "where");
    expect(result.error, result.label).toBeUndefined();
    expect(result.response).toBe("null False data:\n");
  });

  it("every route reaches the same global, which has no DOM, no parent and no storage", async () => {
    for (const route of Object.keys(ROUTES) as Array<keyof typeof ROUTES>) {
      const result = await attempt(`${via(route)}print(g.location.protocol, hasattr(g, 'document'), hasattr(g, 'parent'))`, `route-${route}`);
      expect(result.response, result.label).toBe("data: False False\n");
    }
  });

  it("refuses with a Python error: eval, new Function, blob: and data: scripts, Cache Storage, IndexedDB, the network globals, pyodide.code", async () => {
    const url = (path: string) => JSON.stringify(`${listen}/${path}`);
    const attempts: Array<[keyof typeof ROUTES, string]> = [
      ["globalThis", `g.eval(${JSON.stringify(`fetch(${url("eval")})`)})`],
      ["jsproxies", `g.Function.new(${JSON.stringify(`return import(${url("function-import")})`)})()`],
      ["globalThis", `g.URL.createObjectURL(g.Blob.new([${JSON.stringify(`import(${url("blob-import")})`)}]))`],
      ["jsproxies", `g.Worker.new(${JSON.stringify(`data:text/javascript,fetch(${url("nested-worker")})`)})`],
      ["globalThis", "g.caches.open('tapo-models')"],
      ["jsproxies", `g.caches.keys()`],
      ["globalThis", "g.indexedDB.open('tapo')"],
      ["jsproxies", `r = g.XMLHttpRequest.new()\nr.open('GET', ${url("xhr")})\nr.send()`],
      ["globalThis", `g.WebSocket.new(${JSON.stringify(`ws://127.0.0.1:${port}/ws`)})`],
      ["jsproxies", `g.importScripts(${url("import-scripts")})`],
      ["globalThis", `g.fetch(${url("fetch")})`],
      ["jsproxies", `g.EventSource.new(${url("event-source")})`],
      ["globalThis", `g.WebTransport.new(${JSON.stringify(`https://127.0.0.1:${port}/wt`)})`],
      ["pyodide_js", `sys.modules['pyodide.code'].run_js(${JSON.stringify(`fetch(${url("run-js")})`)})`],
      ["pyodide_js", `import pyodide.code`],
    ];
    for (const [route, code] of attempts) {
      const result = await attempt(via(route) + code, "refused");
      expect(result.error, result.label).toBeDefined();
      expect(result.response, result.label).toMatch(/Error/);
    }
  });

  it("settles what returns a promise (FontFace, navigator.storage, IndexedDB, pyodide_js.loadPackage) without reaching or changing anything", async () => {
    const url = (path: string) => JSON.stringify(`${listen}/${path}`);
    const started = await attempt(
      [
        via("pyodide_js"),
        "once = sys.modules['pyodide.ffi'].create_once_callable",
        "outcomes = {}",
        "def watch(name, promise):",
        "    outcomes[name] = 'pending'",
        "    promise.then(once(lambda v: outcomes.__setitem__(name, 'resolved')), once(lambda e: outcomes.__setitem__(name, 'rejected: ' + str(e.name))))",
        "def attempt(name, start):",
        "    try:",
        "        watch(name, start())",
        "    except Exception as e:",
        "        outcomes[name] = 'raised: ' + type(e).__name__",
        `attempt('fontface', lambda: g.FontFace.new('x', ${JSON.stringify(`url(${listen}/font)`)}).load())`,
        "attempt('opfs', lambda: g.navigator.storage.getDirectory())",
        "options = lambda text: g.JSON.parse(text)",
        "attempt('opfs-write', lambda: g.navigator.storage.getDirectory().then(once(lambda root: root.getFileHandle('written-by-the-sandbox', options('{\"create\": true}')))))",
        `attempt('opfs-remove', lambda: g.navigator.storage.getDirectory().then(once(lambda root: root.removeEntry(${JSON.stringify(canaryDir)}, options('{"recursive": true}')))))`,
        `attempt('caches-delete', lambda: g.caches.delete(${JSON.stringify(canaryDir)}))`,
        "attempt('idb-delete', lambda: g.indexedDB.deleteDatabase('tapo'))",
        "attempt('estimate', lambda: g.navigator.storage.estimate())",
        "attempt('persist', lambda: g.navigator.storage.persist())",
        "attempt('databases', lambda: g.indexedDB.databases())",
        "attempt('locks', lambda: g.navigator.locks.request('tapo', once(lambda lock: 1)))",
        `attempt('loadPackage', lambda: sys.modules['pyodide_js'].loadPackage(${url("package-0.1-py3-none-any.whl")}))`,
        `attempt('wasm', lambda: g.WebAssembly.compileStreaming(g.fetch(${url("module.wasm")})))`,
        "print('started')",
      ].join("\n"),
      "promises",
    );
    expect(started.error, started.label).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const settled = await attempt("for name, outcome in sorted(outcomes.items()):\n    print(name, outcome)", "promises");
    expect(settled.error, settled.label).toBeUndefined();
    const outcomes = Object.fromEntries(settled.response.trim().split("\n").map((line) => line.split(/ (.*)/s).slice(0, 2)));
    for (const name of ["fontface", "opfs", "opfs-write", "opfs-remove", "caches-delete", "idb-delete", "estimate", "databases", "locks", "wasm"]) {
      expect(outcomes[name], settled.label).toMatch(/^(rejected|raised)/);
    }
    // Pyodide reports a package it could not fetch and resolves; persist() answers false. Neither reaches anything.
    expect(outcomes.loadPackage, settled.label).toMatch(/^(resolved|rejected|raised)/);
    expect(outcomes.persist, settled.label).toMatch(/^(resolved|rejected|raised)/);
  });

  it("clears the timers and callbacks a call leaves behind before the next call", async () => {
    const setup = [
      via("globalThis"),
      "import asyncio",
      "proxy = sys.modules['pyodide.ffi'].create_proxy",
      "ticks = {}",
      "def count(name):",
      "    return proxy(lambda *a: ticks.__setitem__(name, ticks.get(name, 0) + 1))",
      "g.setInterval(count('setInterval'), 5)",
      "g.setTimeout(count('setTimeout'), 50)",
      "g.queueMicrotask(count('queueMicrotask'))",
      "g.scheduler.postTask(count('postTask'), g.JSON.parse('{\"delay\": 20}'))",
      "g.addEventListener('message', count('addEventListener'))",
      "g.onmessage = count('onmessage')",
      "c = g.MessageChannel.new()",
      "c.port1.onmessage = count('MessageChannel')",
      "c.port2.postMessage(1)",
      "loop = asyncio.get_event_loop()",
      "loop.call_later(0.05, lambda: ticks.__setitem__('call_later', ticks.get('call_later', 0) + 1))",
      "loop.call_soon(lambda: ticks.__setitem__('call_soon', ticks.get('call_soon', 0) + 1))",
      "async def forever():",
      "    while True:",
      "        ticks['task'] = ticks.get('task', 0) + 1",
      "        await asyncio.sleep(0.01)",
      "task = asyncio.ensure_future(forever())",
      // A timer given code as text: the policy refuses to evaluate it (the listener hears nothing).
      "try:",
      `    g.setTimeout(${JSON.stringify(`fetch(${JSON.stringify(`${listen}/timer-string`)})`)}, 0)`,
      "except Exception:",
      "    pass",
      // A timer whose callback is an existing JS function: it would keep calling it with these arguments.
      `g.setInterval(g.fetch, 10, ${JSON.stringify(`${listen}/interval`)})`,
      "print(sorted(ticks.items()))",
    ].join("\n");
    const first = await attempt(setup, "timers");
    expect(first.error, first.label).toBeUndefined();
    expect(first.response).toBe("[]\n");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await attempt("print(sorted(ticks.items()))", "timers");
    expect(second.response, second.label).toBe("[]\n");
    // The listeners and the handler the first call added are dropped too: a message event reaches neither.
    const dispatched = await attempt("g.dispatchEvent(g.MessageEvent.new('message'))\nprint(sorted(ticks.items()))", "timers");
    expect(dispatched.response, dispatched.label).toBe("[]\n");
  });

  it("cannot reach the app's BroadcastChannels or the tool through its worker's global", async () => {
    const restarts = tool.restarts;
    const code = [
      via("jsproxies"),
      `g.BroadcastChannel.new(${JSON.stringify(channelName)}).postMessage('from the sandbox')`,
      // To the gate, which never listens to the sandbox: were it passed on, the tool would take it for the gate's refusal.
      "g.postMessage(g.JSON.parse('{\"type\": \"refused\", \"message\": \"forged\"}'))",
      "print('sent')",
    ].join("\n");
    const result = await attempt(code, "messages");
    expect(result.response, result.label).toBe("sent\n");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual([]);
    const next = await attempt("print(6 * 7)", "messages");
    expect(next.response, next.label).toBe("42\n");
    expect(tool.restarts).toBe(restarts);
  });

  it("leaves the listener on 127.0.0.1 without a single connection and the app's storage unchanged", async () => {
    // The control: a listener like it hears this page, which is not sandboxed.
    const control = await commands.startListener();
    await fetch(`http://127.0.0.1:${control}/control`, { mode: "no-cors" }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await commands.listenerHits(control)).toEqual([expect.stringContaining("GET /control")]);
    await commands.stopListener(control);
    expect(await commands.listenerHits(port)).toEqual([]);
    expect(await storageSnapshot()).toBe(storageBefore);
    expect(storageBefore).toContain(`canary ${seed}`);
  });

  it("does not start when the gate is served without its Content-Security-Policy", async () => {
    // The gate's own code, from a blob: URL of this page: no policy header, so the network would be open.
    const gateURL = pyodideIndexURL(import.meta.env.BASE_URL, location.href) + SANDBOX_GATE_FILE;
    const code = await (await fetch(gateURL)).text();
    const blobURL = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    const open = new PythonTool({ createWorker: () => new Worker(blobURL, { type: "module" }) });
    try {
      const result = await open.run("print('ran')", "open");
      expect(result.error, result.response).toBe("unavailable");
      expect(result.response).toContain("without its Content-Security-Policy header");
    } finally {
      open.dispose();
      URL.revokeObjectURL(blobURL);
    }
  });
});
