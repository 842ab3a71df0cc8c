// The sandbox gate: the Worker the Python tool starts (a module worker, no
// imports). vite_plugin.ts compiles it to `<base>pyodide/sandbox_gate.js` and
// serves it with SANDBOX_CSP (files.ts) as its Content-Security-Policy header.
// Its only job is to start the interpreter's worker from a data: URL, which
// gives that worker an opaque origin of its own (no access to the app's
// storage) and makes it inherit this file's policy (no network, no eval). The
// gate then steps aside: it passes on the Python tool's MessagePort and never
// listens to the interpreter's worker, so nothing that worker runs can reach
// the gate, the tool or the app. Terminating the gate terminates it too.
//
// It refuses to start the interpreter when its own policy is not in force (a
// host that does not send the header): that would leave the network open.

/** The first and only message the gate takes. */
export type GateStart = {
  type: "start";
  /** The end of the Python tool's channel that the interpreter's worker serves (comlink). */
  port: MessagePort;
  /** The interpreter worker's code, one self-contained ES module (sandbox_worker.ts, bundled). */
  workerSource: string;
};

/** What the gate tells the Python tool when it cannot start the interpreter. */
export type GateFailure = { type: "refused" | "failed"; message: string };

/**
 * The data: worker's first code: it imports the module it is sent from a blob: URL of its own making (the only
 * scripts its policy allows) and hands it the port. Errors go back over the port, the only route it has.
 */
const BOOTSTRAP = `
self.onmessage = async (event) => {
  self.onmessage = null;
  const { port, workerSource } = event.data;
  const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  try {
    const sandbox = await import(url);
    sandbox.start(port);
  } catch (error) {
    port.postMessage({ sandboxError: String(error && error.stack || error) });
  } finally {
    URL.revokeObjectURL(url);
  }
};
`;

type GateScope = {
  onmessage: ((event: MessageEvent<GateStart>) => void) | null;
  postMessage(message: GateFailure): void;
};
const gate = self as unknown as GateScope;

/** Why this worker's Content-Security-Policy is not the sandbox's, or undefined when it is in force. */
async function policyProblem(): Promise<string | undefined> {
  try {
    new Function("");
    return "it lets code evaluate strings";
  } catch {
    // Refused: a policy without 'unsafe-eval' is in force.
  }
  try {
    await fetch("data:,");
    return "it lets code fetch";
  } catch {
    // Refused: connect-src is closed.
  }
  return undefined;
}

gate.onmessage = (event) => {
  gate.onmessage = null;
  const { port, workerSource } = event.data;
  void policyProblem().then((problem) => {
    if (problem !== undefined) {
      gate.postMessage({
        type: "refused",
        message:
          `the sandbox gate (pyodide/sandbox_gate.js) was served without its Content-Security-Policy header, so ${problem}; ` +
          `the host must send it with that file (README, "Hosting the build")`,
      });
      return;
    }
    const inner = new Worker(`data:text/javascript;base64,${btoa(BOOTSTRAP)}`, { type: "module", name: "python-sandbox" });
    inner.addEventListener("error", (error) => {
      gate.postMessage({ type: "failed", message: `the interpreter's worker failed: ${error.message || "unknown error"}` });
    });
    inner.postMessage({ port, workerSource }, [port]);
  });
};
