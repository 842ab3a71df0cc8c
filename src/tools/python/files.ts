// Where the app serves Pyodide's runtime files: one folder, `pyodide/` under the
// app's base URL, holding the four files of the npm package that the Python
// tool needs. Shared by the Vite plugin (Node side) and the tool (browser side).

/** The folder under the app's base URL that holds Pyodide's files. */
export const PYODIDE_FOLDER = "pyodide/";

/** The package files served from that folder, with their content types. */
export const PYODIDE_FILES: Readonly<Record<string, string>> = {
  "pyodide.asm.mjs": "text/javascript",
  "pyodide.asm.wasm": "application/wasm",
  "python_stdlib.zip": "application/zip",
  "pyodide-lock.json": "application/json",
};

/** Where numpy, sympy and their dependencies are fetched from when asked for (the matching jsDelivr release). */
export const DEFAULT_PACKAGE_INDEX_URL = "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/";

/**
 * The absolute URL of the served folder, ending in "/".
 * @param base the app's base URL (Vite's import.meta.env.BASE_URL), relative to `origin`
 * @param origin the page address to resolve against (location.href)
 */
export function pyodideIndexURL(base: string, origin: string): string {
  const folder = new URL(base.endsWith("/") ? base : `${base}/`, origin);
  return new URL(PYODIDE_FOLDER, folder).href;
}

/**
 * The sandbox gate: the worker the Python tool starts, served from the same folder. It must be served with
 * SANDBOX_CSP as its Content-Security-Policy header: the interpreter's worker, which the gate creates from a
 * data: URL, inherits that policy (and gets an opaque origin of its own).
 */
export const SANDBOX_GATE_FILE = "sandbox_gate.js";

/**
 * The gate's Content-Security-Policy, inherited by the interpreter's worker: no network of any kind (fetch,
 * XMLHttpRequest, WebSocket, EventSource, WebTransport, fonts, images, imported scripts), no eval; only scripts
 * the sandbox made itself (blob:), WebAssembly, and the one data: worker the gate starts.
 */
export const SANDBOX_CSP = "default-src 'none'; script-src blob: 'wasm-unsafe-eval'; worker-src data:";
