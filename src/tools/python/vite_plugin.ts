// Vite plugin that serves Pyodide's runtime from the `pyodide` npm package, so
// the Python tool needs no CDN for its core. How the files are served:
//   - dev server and Vitest browser mode: a middleware answers
//     `<base>pyodide/<file>` straight from node_modules/pyodide (only the files
//     listed in files.ts; the right content type, notably application/wasm);
//   - production build: the same files are emitted into `dist/pyodide/`, which
//     `vite preview` (or any static host) serves as they are.
// It also keeps `pyodide` out of Vite's dependency pre-bundling, because the
// package finds pyodide.asm.mjs at run time by URL, not by import.
// Node-only (reads the file system).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Connect, Plugin } from "vite";
import { PYODIDE_FILES, PYODIDE_FOLDER } from "./files.ts";

/** The folder of the installed `pyodide` package. */
function pyodidePackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("pyodide/package.json"));
}

/** A connect middleware answering GET `<base>pyodide/<file>` from the package folder. */
function serveFrom(dir: string, base: string): Connect.NextHandleFunction {
  const prefix = `${base.endsWith("/") ? base : `${base}/`}${PYODIDE_FOLDER}`;
  return (req, res, next) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.startsWith(prefix)) return next();
    const name = path.slice(prefix.length);
    const type = PYODIDE_FILES[name];
    if (type === undefined) return next();
    const body = readFileSync(join(dir, name));
    res.setHeader("Content-Type", type);
    res.setHeader("Content-Length", String(body.length));
    res.setHeader("Cache-Control", "no-cache");
    res.end(body);
  };
}

/** The plugin: add it to vite.config.ts `plugins`. */
export function pyodideFiles(): Plugin {
  const dir = pyodidePackageDir();
  let base = "/";
  return {
    name: "tapo-pyodide-files",
    config: () => ({ optimizeDeps: { exclude: ["pyodide"] } }),
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(serveFrom(dir, base));
    },
    generateBundle() {
      for (const name of Object.keys(PYODIDE_FILES)) {
        this.emitFile({ type: "asset", fileName: `${PYODIDE_FOLDER}${name}`, source: readFileSync(join(dir, name)) });
      }
    },
  };
}
