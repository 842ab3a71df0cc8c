// Replaces the Python worker's network globals once Pyodide has booted: every
// global that can send a request (fetch, XMLHttpRequest, WebSocket,
// EventSource, WebTransport, importScripts, nested workers) is replaced, on the
// global object and on every prototype that defines it, by a stub that throws.
// What closes the network is the sandbox worker's Content-Security-Policy
// (python_tool.ts); Python reaches these globals only through the `js` bridge,
// which sandbox.py refuses to import. The stubs make a refusal say why: the
// text of their errors contains NETWORK_MARKER, which sandbox.py uses to
// classify the failure as "network".

/** Must match NETWORK_MARKER in sandbox.py. */
export const NETWORK_MARKER = "network access is disabled in the Python tool";

/** The globals that can reach the network from a worker. */
export const NETWORK_GLOBALS = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "EventSource",
  "WebTransport",
  "importScripts",
  "Worker",
  "SharedWorker",
] as const;

/** Thrown by the stubs. */
export class NetworkBlockedError extends Error {
  constructor(what: string) {
    super(`${what} refused: ${NETWORK_MARKER} (the sandbox has no network)`);
    this.name = "NetworkBlockedError";
  }
}

/** A stub usable both as a function and with `new`, that always throws. */
function blockedStub(what: string): () => never {
  return function blocked(): never {
    throw new NetworkBlockedError(what);
  };
}

/**
 * Replaces the network globals of `scope` (the worker's globalThis) by throwing
 * stubs, non-writable and non-configurable so code cannot put them back.
 * @returns the names that were replaced
 */
export function blockNetwork(scope: object = globalThis): string[] {
  const replaced: string[] = [];
  for (const name of NETWORK_GLOBALS) {
    const stub = blockedStub(name);
    let found = false;
    for (let o: object | null = scope; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      if (!Object.prototype.hasOwnProperty.call(o, name)) continue;
      found = true;
      Object.defineProperty(o, name, { value: stub, writable: false, configurable: false, enumerable: false });
    }
    if (!found) Object.defineProperty(scope, name, { value: stub, writable: false, configurable: false });
    replaced.push(name);
  }
  return replaced;
}
