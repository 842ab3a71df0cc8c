// Vite plugin that serves the Python tool's sandbox from the app itself, no CDN:
//   - Pyodide's runtime from the `pyodide` npm package (only the files listed
//     in files.ts, with the right content type, notably application/wasm): the
//     dev server and Vitest's browser mode answer `<base>pyodide/<file>`
//     straight from node_modules/pyodide; the build emits the same files into
//     `dist/pyodide/`, which `vite preview` (or any static host) serves as-is;
//   - the sandbox gate (sandbox_gate.ts compiled) at
//     `<base>pyodide/sandbox_gate.js`, with the sandbox's Content-Security-Policy
//     header (SANDBOX_CSP): added by the dev server and by `vite preview`; a
//     static host must add it itself (README, "Hosting the build");
//   - the sandbox's worker code (sandbox_worker.ts and its imports, bundled into
//     one ES module) as the text of the virtual module
//     `virtual:tapo-python-sandbox`, rebuilt when one of its files changes.
// It also keeps `pyodide` out of Vite's dependency pre-bundling, because the
// package finds pyodide.asm.mjs at run time by URL, not by import.
// Node-only (reads the file system).
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Connect, type Plugin, transformWithOxc } from "vite";
import { PYODIDE_FILES, PYODIDE_FOLDER, SANDBOX_CSP, SANDBOX_GATE_FILE } from "./files.ts";

const VIRTUAL_ID = "virtual:tapo-python-sandbox";
const RESOLVED_VIRTUAL_ID = `\0${VIRTUAL_ID}`;
const HERE = dirname(fileURLToPath(import.meta.url));
const GATE_SOURCE = join(HERE, "sandbox_gate.ts");
const WORKER_ENTRY = join(HERE, "sandbox_worker.ts");

/** Headers of the gate: its policy, and the isolation headers a worker of an isolated page needs. */
const GATE_HEADERS = {
  "Content-Security-Policy": SANDBOX_CSP,
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** The folder of the installed `pyodide` package. */
function pyodidePackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("pyodide/package.json"));
}

/** The URL path of the served folder under `base`. */
function folderPath(base: string): string {
  return `${base.endsWith("/") ? base : `${base}/`}${PYODIDE_FOLDER}`;
}

/** The gate as served: sandbox_gate.ts with its types stripped (a module worker with no imports). */
async function compileGate(): Promise<string> {
  const result = await transformWithOxc(readFileSync(GATE_SOURCE, "utf8"), GATE_SOURCE, { lang: "ts" });
  return result.code;
}

/** Something built from files, rebuilt when one of them changes. */
type Built = { code: string; files: Map<string, number> };

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function stale(built: Built): boolean {
  for (const [file, time] of built.files) if (mtime(file) !== time) return true;
  return false;
}

/** sandbox_worker.ts and everything it imports as one self-contained ES module. */
async function bundleSandboxWorker(root: string): Promise<Built> {
  const output = await build({
    configFile: false,
    root,
    logLevel: "error",
    publicDir: false,
    build: {
      write: false,
      minify: false,
      sourcemap: false,
      target: "es2022",
      emptyOutDir: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry: WORKER_ENTRY, formats: ["es"], fileName: "sandbox_worker" },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const chunk = (Array.isArray(output) ? output : [output]).flatMap((o) => ("output" in o ? o.output : [])).find((c) => c.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("bundling the Python sandbox's worker produced no code");
  const files = new Map<string, number>();
  for (const id of chunk.moduleIds) {
    const file = id.split("?")[0]!;
    if (file.startsWith("/") && !file.includes("/node_modules/")) files.set(file, mtime(file));
  }
  return { code: chunk.code, files };
}

/** A connect middleware answering GET `<base>pyodide/<file>`: Pyodide's files from the package folder, and the gate. */
function serveFrom(dir: string, base: string, gate: () => Promise<string>): Connect.NextHandleFunction {
  const prefix = folderPath(base);
  return (req, res, next) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.startsWith(prefix)) return next();
    const name = path.slice(prefix.length);
    if (name === SANDBOX_GATE_FILE) {
      gate().then((code) => {
        for (const [header, value] of Object.entries(GATE_HEADERS)) res.setHeader(header, value);
        res.setHeader("Content-Type", "text/javascript");
        res.setHeader("Cache-Control", "no-cache");
        res.end(code);
      }, next);
      return;
    }
    const type = PYODIDE_FILES[name];
    if (type === undefined) return next();
    const body = readFileSync(join(dir, name));
    res.setHeader("Content-Type", type);
    res.setHeader("Content-Length", String(body.length));
    res.setHeader("Cache-Control", "no-cache");
    res.end(body);
  };
}

/** For `vite preview`: adds the gate's headers to the built file, which the static server then sends. */
function gateHeaders(base: string): Connect.NextHandleFunction {
  const path = folderPath(base) + SANDBOX_GATE_FILE;
  return (req, res, next) => {
    if ((req.url ?? "").split("?")[0] === path) for (const [header, value] of Object.entries(GATE_HEADERS)) res.setHeader(header, value);
    next();
  };
}

/**
 * The virtual module `virtual:tapo-python-sandbox`: the sandbox's worker code as text. Part of pyodideFiles();
 * add it on its own to `worker.plugins`, since the trainer worker starts Python tools too.
 */
export function pythonSandboxSource(): Plugin {
  let root = process.cwd();
  let worker: Promise<Built> | undefined;
  const sandboxWorker = async (): Promise<Built> => {
    if (worker) {
      const built = await worker.catch(() => undefined);
      if (built && !stale(built)) return built;
    }
    worker = bundleSandboxWorker(root);
    return worker;
  };
  return {
    name: "tapo-python-sandbox-source",
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_VIRTUAL_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_VIRTUAL_ID) return undefined;
      const built = await sandboxWorker();
      for (const file of built.files.keys()) this.addWatchFile(file);
      return `export default ${JSON.stringify(built.code)};`;
    },
  };
}

/** The plugins: add them to vite.config.ts `plugins`. */
export function pyodideFiles(): Plugin[] {
  const dir = pyodidePackageDir();
  let base = "/";
  const files: Plugin = {
    name: "tapo-pyodide-files",
    config: () => ({ optimizeDeps: { exclude: ["pyodide"] } }),
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(serveFrom(dir, base, compileGate));
    },
    configurePreviewServer(server) {
      server.middlewares.use(gateHeaders(base));
    },
    async generateBundle() {
      for (const name of Object.keys(PYODIDE_FILES)) {
        this.emitFile({ type: "asset", fileName: `${PYODIDE_FOLDER}${name}`, source: readFileSync(join(dir, name)) });
      }
      this.emitFile({ type: "asset", fileName: `${PYODIDE_FOLDER}${SANDBOX_GATE_FILE}`, source: await compileGate() });
    },
  };
  return [files, pythonSandboxSource()];
}
