// The Python tool of TAPO rollouts (main-thread side): runs the policy's
// <code> blocks in a Pyodide worker and returns what the model sees.
//
// What the sandbox covers:
//   - Isolation from the page: the code runs in a dedicated Worker (no DOM, no
//     access to the app's state). The interpreter's files come from the app
//     itself, no CDN: vite_plugin.ts serves pyodide.asm.mjs/.wasm,
//     python_stdlib.zip and pyodide-lock.json from node_modules/pyodide at
//     `<base>pyodide/` in the dev server and Vitest's browser mode, and copies
//     them to `dist/pyodide/` in the build (served as-is by `vite preview`).
//   - No network: before any user code runs, the worker's fetch,
//     XMLHttpRequest, WebSocket, EventSource, WebTransport, importScripts and
//     nested Worker constructors are replaced by throwing stubs, and imports of
//     the browser bridge (js, pyodide, pyodide_js, pyodide.http) and of
//     micropip are refused. Optional packages (numpy, sympy) are loaded from
//     the package index at boot, before the network is closed.
//   - Time: each call has a limit (default 2 s, TAPO's). At the limit the call
//     is interrupted through a SharedArrayBuffer (a KeyboardInterrupt, which
//     needs the page to be cross-origin isolated); if it is still running a
//     short grace later (a long C-level call, code that swallows the
//     interrupt), the worker is terminated and a fresh one booted.
//   - Output: stdout is captured with a head/tail budget while it is written
//     (printing 100 MB keeps only the cap), and cut in the middle with a marker.
//   - State: one Python namespace per session (rollout); endSession frees it.
//
// What it does not cover:
//   - Memory is bounded only by WebAssembly's 4 GiB address space and the
//     browser's limits: a huge allocation ends in MemoryError, or in a crashed
//     interpreter that is replaced, not in a precise quota.
//   - Code that digs into interpreter internals (sys.modules, gc) can reach the
//     JS bridge and run JavaScript in the worker; the network stubs still
//     refuse requests, but JavaScript's dynamic import() cannot be stubbed.
//     The threat model is a policy's mistakes, not a determined attacker.
//   - CPU: a call may use a full core for its time limit; calls run one at a
//     time per tool (one worker), so parallel rollouts queue.
//   - A restart (timeout that needed termination, crash, loadPackages) loses
//     every session's variables; the next call of each affected session gets a
//     note saying so.
import { type Remote, wrap } from "comlink";
import type { ToolResult } from "../../protocol/tools.ts";
import { DEFAULT_PACKAGE_INDEX_URL, pyodideIndexURL } from "./files.ts";
import { crashMessage, RESTART_NOTE, timeoutMessage } from "./format.ts";
import type { HostBootInfo, HostCallResult, PythonHost } from "./python_host.ts";

export type PythonToolOptions = {
  /** Time limit of one call in milliseconds (TAPO: 2000). */
  timeLimitMs?: number;
  /** How long after the limit an interrupted call may take to stop before the worker is terminated. */
  graceMs?: number;
  /** Character cap of a response (TAPO: 2000). */
  outputCap?: number;
  /** Packages to load at boot from the package index (e.g. ["numpy", "sympy"]); none by default. */
  packages?: string[];
  /** Folder of the package wheels named in Pyodide's lock file (default: the matching jsDelivr release). */
  packageIndexURL?: string;
  /** Folder of Pyodide's core files (default: `<base>pyodide/` of this app, served by vite_plugin.ts). */
  indexURL?: string;
  /** Starts the worker (tests may replace it). */
  createWorker?: () => Worker;
};

/** The Python tool's worker, as the main thread sees it. */
type WorkerHandle = {
  worker: Worker;
  remote: Remote<PythonHost>;
  boot: Promise<HostBootInfo>;
  /** Resolves when the worker is terminated or fails. */
  died: Promise<string>;
  kill(reason: string): void;
  /** Sessions that ran at least one call in this worker. */
  sessions: Set<string>;
};

/** Raised by run() when its signal is aborted. */
export class PythonCallAbortedError extends Error {
  constructor() {
    super("the Python call was aborted by its caller");
    this.name = "AbortError";
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL("../../../workers/python.worker.ts", import.meta.url), { type: "module", name: "python" });
}

function delay(ms: number): Promise<"timer"> {
  return new Promise((resolve) => setTimeout(() => resolve("timer"), ms));
}

function aborted(signal: AbortSignal | undefined): Promise<"aborted"> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
}

/** Runs Python calls for rollouts, one namespace per session. */
export class PythonTool {
  readonly timeLimitMs: number;
  readonly graceMs: number;
  readonly outputCap: number;
  private packages: string[];
  private readonly packageIndexURL: string;
  private readonly indexURL: string;
  private readonly createWorker: () => Worker;
  /** Shared with the worker: writing 2 raises KeyboardInterrupt in the running code. */
  private readonly interrupt: Int32Array | undefined;
  private handle: WorkerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Sessions whose namespace was lost in a restart and whose next call has not yet been told. */
  private readonly lostSessions = new Set<string>();
  private disposed = false;
  /** How many times a worker was replaced (timeouts that needed termination, crashes, package loads). */
  restarts = 0;

  constructor(options: PythonToolOptions = {}) {
    this.timeLimitMs = options.timeLimitMs ?? 2000;
    this.graceMs = options.graceMs ?? 500;
    this.outputCap = options.outputCap ?? 2000;
    this.packages = options.packages ?? [];
    this.packageIndexURL = options.packageIndexURL ?? DEFAULT_PACKAGE_INDEX_URL;
    this.indexURL = options.indexURL ?? pyodideIndexURL(import.meta.env.BASE_URL, location.href);
    this.createWorker = options.createWorker ?? defaultWorker;
    const isolated = typeof SharedArrayBuffer !== "undefined" && globalThis.crossOriginIsolated === true;
    this.interrupt = isolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  }

  /** Whether calls are interrupted softly (cross-origin isolated page) rather than only by terminating the worker. */
  get interruptible(): boolean {
    return this.interrupt !== undefined;
  }

  /** Boots the worker if needed and says what it has (Python version, packages). */
  ready(): Promise<HostBootInfo> {
    return this.worker().boot;
  }

  private worker(): WorkerHandle {
    if (this.disposed) throw new Error("the Python tool was disposed: create a new PythonTool");
    if (!this.handle) this.handle = this.startWorker();
    return this.handle;
  }

  private startWorker(): WorkerHandle {
    // A SIGINT left in the buffer by a terminated worker would interrupt the new one's boot.
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    const worker = this.createWorker();
    const remote = wrap<PythonHost>(worker);
    let markDead: (reason: string) => void = () => {};
    const died = new Promise<string>((resolve) => (markDead = resolve));
    worker.addEventListener("error", (event) => markDead(`the worker failed: ${event.message || "unknown error"}`));
    const kill = (reason: string) => {
      worker.terminate();
      markDead(reason);
    };
    const boot = Promise.race([
      remote.boot({
        indexURL: this.indexURL,
        packageIndexURL: this.packageIndexURL,
        packages: this.packages,
        ...(this.interrupt ? { interruptBuffer: this.interrupt } : {}),
      }),
      died.then((reason) => Promise.reject(new Error(`the Python worker did not start: ${reason}`))),
    ]);
    boot.catch(() => {}); // observed by the calls that await it
    return { worker, remote, boot, died, kill, sessions: new Set() };
  }

  /** Throws away the current worker; every session that used it has lost its namespace. */
  private restart(reason: string): void {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    handle.kill(reason);
    for (const session of handle.sessions) this.lostSessions.add(session);
    this.restarts++;
  }

  /**
   * Runs `code` in `session`'s namespace; calls run one at a time.
   * @param code the text the policy wrote inside <code>…</code>
   * @param session the rollout the call belongs to
   * @param signal aborting it stops the call (the worker is interrupted or replaced) and rejects with an AbortError
   * @returns the response the model sees; `ms` counts from the start of execution (not the wait in the queue or for boot)
   */
  run(code: string, session: string, signal?: AbortSignal): Promise<ToolResult> {
    const result = this.queue.then(() => this.runNow(code, session, signal));
    this.queue = result.catch(() => {});
    return result;
  }

  private async runNow(code: string, session: string, signal: AbortSignal | undefined): Promise<ToolResult> {
    if (signal?.aborted) throw new PythonCallAbortedError();
    const handle = this.worker();
    try {
      await handle.boot;
    } catch (error) {
      this.restart("boot failed");
      const message = error instanceof Error ? error.message : String(error);
      return { response: `The Python tool is unavailable: ${message}`, error: "unavailable", ms: 0 };
    }
    const note = this.lostSessions.delete(session) ? RESTART_NOTE : "";
    handle.sessions.add(session);
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    const start = performance.now();
    const call = handle.remote.run(session, code, this.outputCap, this.timeLimitMs);
    const stop = aborted(signal);
    let outcome = await Promise.race([call, delay(this.timeLimitMs), handle.died, stop]);
    if (outcome === "timer" || outcome === "aborted") {
      const why = outcome;
      if (this.interrupt) {
        Atomics.store(this.interrupt, 0, 2); // SIGINT: KeyboardInterrupt at the next check
        outcome = await Promise.race([call, delay(this.graceMs), handle.died]);
      } else {
        outcome = "timer";
      }
      if (typeof outcome === "string") {
        this.restart(`${why}: the call did not stop when interrupted`);
        if (why === "aborted") throw new PythonCallAbortedError();
        const ms = performance.now() - start;
        return { response: note + timeoutMessage(this.timeLimitMs), error: "timeout", ms };
      }
      if (why === "aborted") throw new PythonCallAbortedError();
    } else if (typeof outcome === "string") {
      // The worker died during the call (terminated by dispose, or crashed).
      this.restart(outcome);
      const ms = performance.now() - start;
      return { response: note + crashMessage(outcome), error: "crash", ms };
    }
    const result = outcome as HostCallResult;
    const ms = performance.now() - start;
    if (result.dead) {
      this.restart("the interpreter suffered a fatal error");
      return { response: note + crashMessage(result.response || "fatal error"), error: "crash", ms };
    }
    return { response: note + result.response, ...(result.kind === "ok" ? {} : { error: result.kind }), ms };
  }

  /** Forgets a session's namespace (its variables are freed in the worker). */
  async endSession(session: string): Promise<void> {
    this.lostSessions.delete(session);
    const handle = this.handle;
    if (!handle || !handle.sessions.delete(session)) return;
    await (this.queue = this.queue.then(() => handle.remote.endSession(session)).catch(() => {}));
  }

  /**
   * Adds packages to those loaded at boot and restarts the worker to load them
   * (every session loses its namespace). Needs the package index to be reachable.
   * @returns name → "loaded" or why it could not be loaded
   */
  async loadPackages(names: string[]): Promise<Record<string, string>> {
    this.packages = [...new Set([...this.packages, ...names])];
    await (this.queue = this.queue.then(() => this.restart("loading packages")).catch(() => {}));
    return (await this.ready()).packages;
  }

  /** Terminates the worker; the tool cannot be used afterwards. */
  dispose(): void {
    this.restart("the Python tool was disposed");
    this.disposed = true;
  }
}
