// The worker side of the Python tool: boots Pyodide from the app's own files,
// loads the optional packages (numpy, sympy) from a package index if asked,
// then closes the sandbox (stdin off, network globals stubbed, bridge imports
// refused by sandbox.py) and runs calls, each in its session's namespace on an
// interpreter put back as it was at boot (sandbox.py), with stdout/stderr
// captured within the output cap. In the app it runs inside the sandbox's
// worker (sandbox_worker.ts boots it from files in memory and serves it over
// comlink); it can also be driven directly, without a Worker.
import { loadPyodide, type PyodideAPI } from "pyodide";
import type { PyCallable, PyDict, PyProxy } from "pyodide/ffi";
import { CappedText } from "./capture.ts";
import { formatResponse, type PythonErrorKind, timeoutMessage } from "./format.ts";
import { blockNetwork } from "./network_block.ts";
import sandboxSource from "./sandbox.py?raw";

/** Packages that may be loaded from the index; a missing one gets an explanation when imported. */
const OPTIONAL_PACKAGES = ["numpy", "sympy", "mpmath"];

export type HostBootOptions = {
  /** Absolute URL of the folder holding pyodide.asm.mjs/.wasm, python_stdlib.zip, pyodide-lock.json (ends in "/"). */
  indexURL: string;
  /** Absolute URL of the folder holding the package wheels named in the lock file (ends in "/"). */
  packageIndexURL: string;
  /** Packages to load from the index before the network is closed (e.g. ["numpy", "sympy"]); failures are recorded, not thrown. */
  packages: string[];
  /** Shared buffer the main thread writes 2 (SIGINT) into to interrupt a call; absent without cross-origin isolation. */
  interruptBuffer?: Int32Array;
  /** Replace the network globals by stubs (default true; false only where the host shares its global with a test page). */
  blockNetwork?: boolean;
  /** More options for loadPyodide (sandbox_worker.ts boots from files in memory: the module factory, the lock file). */
  loadOptions?: Omit<Parameters<typeof loadPyodide>[0], "indexURL" | "packageBaseUrl" | "stdout" | "stderr">;
};

export type HostBootInfo = {
  pythonVersion: string;
  /** For each requested package: "loaded", or why it is missing. */
  packages: Record<string, string>;
  /** Whether calls can be interrupted through the shared buffer. */
  interruptible: boolean;
  ms: number;
};

export type HostCallResult = {
  /** "ok" or the kind of failure. */
  kind: "ok" | PythonErrorKind;
  /** What the model sees. */
  response: string;
  /** True when the interpreter can no longer be used (the caller must start a new one). */
  dead: boolean;
};

/** Raised when a call arrives before boot() finished. */
export class PythonNotBootedError extends Error {
  constructor() {
    super("the Python worker was called before boot() finished: await boot() first");
    this.name = "PythonNotBootedError";
  }
}


/** Runs Python calls in one Pyodide interpreter. */
export class PythonHost {
  private pyodide: PyodideAPI | undefined;
  private runCall: PyCallable | undefined;
  private endSessionPy: PyCallable | undefined;
  private stdout = new CappedText(0, 0);
  private stderr = new CappedText(0, 0);
  private callCounts = new Map<string, number>();
  private dead = false;

  /** The booted interpreter (sandbox_worker.ts gates its scheduler), or undefined before boot. */
  get interpreter(): PyodideAPI | undefined {
    return this.pyodide;
  }

  /** Boots the interpreter and closes the sandbox; returns what is available. */
  async boot(options: HostBootOptions): Promise<HostBootInfo> {
    const start = performance.now();
    const pyodide = await loadPyodide({
      ...options.loadOptions,
      indexURL: options.indexURL,
      packageBaseUrl: options.packageIndexURL,
      stdout: () => {},
      stderr: () => {},
    });
    const packages = await this.loadPackages(pyodide, options);
    pyodide.setStdout({ write: (bytes: Uint8Array) => this.capture(this.stdout, bytes), isatty: false });
    pyodide.setStderr({ write: (bytes: Uint8Array) => this.capture(this.stderr, bytes), isatty: false });
    pyodide.setStdin({ error: true });
    const namespace = (pyodide.globals.get("dict") as PyCallable)() as PyDict;
    pyodide.runPython(sandboxSource, { globals: namespace, filename: "<sandbox>" });
    this.runCall = namespace.get("run_call") as PyCallable;
    this.endSessionPy = namespace.get("end_session") as PyCallable;
    const notes: Record<string, string> = {};
    for (const name of OPTIONAL_PACKAGES) {
      const status = packages[name];
      if (status === "loaded") continue;
      notes[name] =
        status === undefined
          ? `${name} is not loaded in this sandbox (the Python tool was started without it); use the standard library instead`
          : `${name} could not be loaded (${status}); use the standard library instead`;
    }
    const setNotes = namespace.get("set_package_notes") as PyCallable;
    const notesPy = pyodide.toPy(notes) as PyProxy;
    setNotes(notesPy);
    notesPy.destroy();
    setNotes.destroy();
    const takeBaseline = namespace.get("take_baseline") as PyCallable;
    namespace.destroy();
    const pythonVersion = String(pyodide.runPython("import sys; sys.version.split()[0]"));
    // Every call starts from the interpreter as it is now (sandbox.py restores it before each call).
    takeBaseline();
    takeBaseline.destroy();
    if (options.blockNetwork !== false) blockNetwork(globalThis);
    if (options.interruptBuffer) pyodide.setInterruptBuffer(options.interruptBuffer);
    this.pyodide = pyodide;
    return { pythonVersion, packages, interruptible: options.interruptBuffer !== undefined, ms: performance.now() - start };
  }

  /** Loads the requested packages while the network is still open; returns name → "loaded" or the reason it failed. */
  private async loadPackages(pyodide: PyodideAPI, options: HostBootOptions): Promise<Record<string, string>> {
    const status: Record<string, string> = {};
    if (options.packages.length === 0) return status;
    const errors: string[] = [];
    try {
      await pyodide.loadPackage(options.packages, {
        messageCallback: () => {},
        errorCallback: (message) => errors.push(message),
        checkIntegrity: true,
      });
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
    for (const name of options.packages) {
      const found = pyodide.runPython(`import importlib.util; importlib.util.find_spec(${JSON.stringify(name)}) is not None`);
      status[name] = found
        ? "loaded"
        : `the package index ${options.packageIndexURL} could not be reached or does not hold it` +
          (errors.length > 0 ? `: ${errors[0]!.slice(0, 200)}` : "");
    }
    return status;
  }

  private capture(target: CappedText, bytes: Uint8Array): number {
    target.pushBytes(bytes);
    return bytes.length;
  }

  /**
   * Runs one call in `session`'s namespace.
   * @param code the text the policy wrote inside <code>…</code>
   * @param cap the response's character cap
   * @param limitMs the time limit, named in the response when the call is interrupted
   */
  run(session: string, code: string, cap: number, limitMs: number): HostCallResult {
    const { pyodide, runCall } = this;
    if (!pyodide || !runCall) throw new PythonNotBootedError();
    if (this.dead) return { kind: "crash", response: "the interpreter is no longer usable", dead: true };
    const half = Math.ceil(cap / 2);
    this.stdout = new CappedText(half, half);
    this.stderr = new CappedText(half, half);
    const callNumber = (this.callCounts.get(session) ?? 0) + 1;
    this.callCounts.set(session, callNumber);
    let kind: HostCallResult["kind"];
    let errorText: string;
    try {
      const result = runCall(session, code, callNumber) as PyProxy;
      [kind, errorText] = result.toJs() as [HostCallResult["kind"], string];
      result.destroy();
    } catch (error) {
      // Something escaped the runner: an interrupt that landed outside the user's code, or a fatal error.
      const message = error instanceof Error ? error.message : String(error);
      if (/KeyboardInterrupt/.test(message)) {
        kind = "timeout";
        errorText = "";
      } else {
        this.dead = true;
        return { kind: "crash", response: message.slice(-500), dead: true };
      }
    }
    this.flushStreams();
    if (kind === "timeout") errorText = timeoutMessage(limitMs);
    const response = formatResponse(
      { stdout: this.stdout.result(), ...(kind === "ok" ? {} : { errorText }) },
      cap,
    );
    return { kind, response, dead: false };
  }

  private flushStreams(): void {
    try {
      this.pyodide?.runPython("import sys; sys.stdout.flush(); sys.stderr.flush()");
    } catch {
      // A broken stream must not turn a finished call into a failure.
    }
  }

  /** Forgets a session's namespace; true if it existed. */
  endSession(session: string): boolean {
    this.callCounts.delete(session);
    if (!this.endSessionPy || this.dead) return false;
    return Boolean(this.endSessionPy(session));
  }
}
