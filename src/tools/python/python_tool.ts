// The Python tool of TAPO rollouts (the caller's side, on the page or in the
// trainer worker): runs the policy's <code> blocks in a sandboxed Pyodide
// worker and returns what the model sees.
//
// How the sandbox is built: the tool starts the sandbox gate
// (`<base>pyodide/sandbox_gate.js`, sandbox_gate.ts), served with a
// Content-Security-Policy header (SANDBOX_CSP in files.ts). The gate starts the
// interpreter's worker from a data: URL, so that worker has an opaque origin of
// its own and inherits the gate's policy; the tool talks to it over a
// MessagePort of its own (comlink) and sends it the code it runs
// (sandbox_worker.ts, bundled by vite_plugin.ts), Pyodide's files and any
// package wheels, since the worker can fetch nothing itself.
//
// What the sandbox covers, against code that digs through the interpreter
// (sys.modules, gc) to the JS bridge and runs what it finds there:
//   - No route to the app's origin. The worker's origin is opaque, so
//     OPFS (navigator.storage), IndexedDB, Cache Storage, Web Locks and
//     cookies refuse it (SecurityError); it has no DOM; it shares no
//     BroadcastChannel with the app; its only channel is the tool's port, whose
//     answers the tool checks before use; the gate never listens to it.
//   - No network. The policy has no connect-src, font-src, img-src or
//     script-src other than blob:, so fetch, XMLHttpRequest, WebSocket,
//     EventSource, WebTransport, FontFace, import() and imported scripts are
//     refused by the browser before any request; eval and new Function are
//     refused too ('unsafe-eval' is not allowed). After boot the worker can no
//     longer make blob: URLs (new scripts) or start workers, and the network
//     globals are stubs that say why (network_block.ts), behind the import
//     guards of sandbox.py. Packages (numpy, sympy), when asked for, are
//     fetched by this tool from the package index, checked against the lock
//     file, and handed in at boot: the only network the Python tool uses.
//   - Time: each call has a limit (default 2 s, TAPO's). At the limit the call
//     is interrupted through a SharedArrayBuffer the caller shares with the
//     worker (a KeyboardInterrupt; the caller must be cross-origin isolated);
//     if it is still running a short grace later (a long C-level call, code
//     that swallows the interrupt), the gate and the worker with it are
//     terminated and a fresh pair booted.
//   - Leftovers: what a call schedules (timers, intervals, microtasks, posted
//     tasks, event listeners and on… handlers, MessageChannels, asyncio's
//     callbacks) is cleared when it ends (call_fence.ts).
//   - Output: stdout is captured with a head/tail budget while it is written
//     (printing 100 MB keeps only the cap), and cut in the middle with a marker.
//   - State: one Python namespace per session (rollout); the interpreter is put
//     back as it was at boot before each call (sandbox.py); endSession frees it.
//
// What it does not cover:
//   - Calls share one interpreter and one JS realm. Code that reaches the JS
//     bridge can change that realm's objects (not restored between calls) and,
//     through a promise that a browser operation settles later, run once after
//     its call ended; it can spoil later calls of the same worker, never the
//     app. A restart clears it.
//   - Memory is bounded only by WebAssembly's 4 GiB address space and the
//     browser's limits: a huge allocation ends in MemoryError, or in a crashed
//     interpreter that is replaced, not in a precise quota.
//   - CPU: a call may use a full core for its time limit (and a terminated
//     worker until the browser stops it); calls run one at a time per tool
//     (one worker), so parallel rollouts queue.
//   - A restart (timeout that needed termination, crash, loadPackages) loses
//     every session's variables; the next call of each affected session gets a
//     note saying so.
//   - The policy comes from a response header: a host that does not send it
//     with sandbox_gate.js gets a tool that refuses to start (the gate checks),
//     not an open one.
import { type Remote, wrap } from "comlink";
import sandboxWorkerSource from "virtual:tapo-python-sandbox";
import type { ToolResult } from "../../protocol/tools.ts";
import { DEFAULT_PACKAGE_INDEX_URL, pyodideIndexURL, SANDBOX_GATE_FILE } from "./files.ts";
import { crashMessage, RESTART_NOTE, timeoutMessage } from "./format.ts";
import type { HostBootInfo, HostCallResult } from "./python_host.ts";
import { type CoreFiles, fetchCoreFiles, sandboxRuntime } from "./runtime_files.ts";
import type { GateFailure, GateStart } from "./sandbox_gate.ts";
import type { SandboxHost } from "./sandbox_worker.ts";

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
  /** Starts the sandbox gate, the worker that starts the interpreter's (tests may replace it). */
  createWorker?: () => Worker;
};

/** Where the worker's boot stands: none started ("idle"), Pyodide starting, started, or it could not start. */
export type PythonBootState = "idle" | "booting" | "ready" | "failed";

/** The Python tool's worker, as the main thread sees it. */
type WorkerHandle = {
  worker: Worker;
  remote: Remote<SandboxHost>;
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

/** The sandbox gate of this app: `<base>pyodide/sandbox_gate.js`, served with the sandbox's policy (vite_plugin.ts). */
function defaultWorker(): Worker {
  return new Worker(pyodideIndexURL(import.meta.env.BASE_URL, location.href) + SANDBOX_GATE_FILE, { type: "module", name: "python" });
}

const CALL_KINDS = new Set(["ok", "timeout", "syntax", "memory", "recursion", "network", "import", "exception", "crash", "unavailable"]);

/** A call's result as the sandbox sent it, or undefined when it is not one (the sandbox's code is not trusted). */
function checkedResult(value: unknown): HostCallResult | undefined {
  const r = value as Partial<HostCallResult> | null;
  if (typeof r !== "object" || r === null) return undefined;
  if (typeof r.kind !== "string" || !CALL_KINDS.has(r.kind) || typeof r.response !== "string" || typeof r.dead !== "boolean") return undefined;
  return { kind: r.kind, response: r.response, dead: r.dead };
}

function isGateFailure(value: unknown): value is GateFailure {
  const v = value as Partial<GateFailure> | null;
  return typeof v === "object" && v !== null && (v.type === "refused" || v.type === "failed") && typeof v.message === "string";
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
  /** Pyodide's files, read from the app once and sent to every worker this tool boots. */
  private core: Promise<CoreFiles> | undefined;
  /** Package wheels already fetched, by URL. */
  private readonly wheels = new Map<string, ArrayBuffer>();
  /** Shared with the worker: writing 2 raises KeyboardInterrupt in the running code. */
  private readonly interrupt: Int32Array | undefined;
  private handle: WorkerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Sessions whose namespace was lost in a restart and whose next call has not yet been told. */
  private readonly lostSessions = new Set<string>();
  private disposed = false;
  /** How many times a worker was replaced (timeouts that needed termination, crashes, package loads). */
  restarts = 0;
  /** The current worker's boot: "booting" while a call waits for Pyodide to start (seconds, the first time). */
  bootState: PythonBootState = "idle";
  /** Called on every change of bootState (the Playground shows it). */
  onBootState: ((state: PythonBootState) => void) | undefined;

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
    const channel = new MessageChannel();
    const remote = wrap<SandboxHost>(channel.port1);
    let markDead: (reason: string) => void = () => {};
    const died = new Promise<string>((resolve) => (markDead = resolve));
    worker.addEventListener("error", (event) => markDead(`the worker failed: ${event.message || "unknown error"}`));
    worker.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (isGateFailure(event.data)) markDead(event.data.message);
    });
    channel.port1.addEventListener("message", (event: MessageEvent<{ sandboxError?: unknown }>) => {
      const error = event.data?.sandboxError;
      if (typeof error === "string") markDead(`the sandbox's worker did not start: ${error.slice(0, 500)}`);
    });
    const start: GateStart = { type: "start", port: channel.port2, workerSource: sandboxWorkerSource };
    worker.postMessage(start, [channel.port2]);
    const kill = (reason: string) => {
      worker.terminate();
      channel.port1.close();
      markDead(reason);
    };
    const boot = Promise.race([
      this.runtime().then((runtime) =>
        remote.boot({
          indexURL: this.indexURL,
          packageIndexURL: this.packageIndexURL,
          packages: this.packages,
          runtime,
          ...(this.interrupt ? { interruptBuffer: this.interrupt } : {}),
        }),
      ),
      died.then((reason) => Promise.reject(new Error(`the Python worker did not start: ${reason}`))),
    ]);
    const handle: WorkerHandle = { worker, remote, boot, died, kill, sessions: new Set() };
    this.setBootState("booting");
    // Only this worker's boot moves the state: a replaced worker's late answer says nothing about the current one.
    boot.then(
      () => this.handle === handle && this.setBootState("ready"),
      () => this.handle === handle && this.setBootState("failed"),
    );
    return handle;
  }

  private setBootState(state: PythonBootState): void {
    if (this.bootState === state) return;
    this.bootState = state;
    this.onBootState?.(state);
  }

  /** What the next worker boots from: Pyodide's files (read once) and the wheels of the packages asked for. */
  private async runtime() {
    this.core ??= fetchCoreFiles(this.indexURL);
    let core: CoreFiles;
    try {
      core = await this.core;
    } catch (error) {
      this.core = undefined; // the next restart tries again
      throw error;
    }
    return sandboxRuntime(core, this.indexURL, this.packageIndexURL, this.packages, this.wheels);
  }

  /** Throws away the current worker; every session that used it has lost its namespace. */
  private restart(reason: string): void {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    handle.kill(reason);
    this.setBootState("idle");
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
    // Boxed: whatever the sandbox answers (its code is not trusted) cannot pass for "timer" or a death notice.
    const call = handle.remote.run(session, code, this.outputCap, this.timeLimitMs).then((answer: unknown) => ({ answer }));
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
    const result = checkedResult(outcome.answer);
    const ms = performance.now() - start;
    if (!result) {
      this.restart("the sandbox answered with something that is not a call's result");
      return { response: note + crashMessage("the interpreter's worker sent a malformed answer"), error: "crash", ms };
    }
    if (result.dead) {
      this.restart("the interpreter suffered a fatal error");
      return { response: note + crashMessage(result.response || "fatal error"), error: "crash", ms };
    }
    return { response: note + result.response, ...(result.kind === "ok" ? {} : { error: result.kind }), ms };
  }

  /**
   * Forgets a session's namespace (its variables are freed in the worker). Freeing runs the namespace's
   * finalizers (`__del__`), user code: past the time limit and grace the worker is replaced, so a
   * finalizer that never returns cannot stall every later call.
   */
  async endSession(session: string): Promise<void> {
    this.lostSessions.delete(session);
    const handle = this.handle;
    if (!handle || !handle.sessions.delete(session)) return;
    const end = async () => {
      const freed = handle.remote.endSession(session).then(() => "freed" as const);
      const outcome = await Promise.race([freed, delay(this.timeLimitMs + this.graceMs), handle.died]);
      if (outcome === "timer" && this.handle === handle) this.restart(`freeing session ${session} ran past the time limit`);
    };
    await (this.queue = this.queue.then(end).catch(() => {}));
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
