// Checks where the Python tool looks for Pyodide's files (Node, no GPU): the served folder under the app's base, that the listed files exist in the installed package, and that the README gives hosts the sandbox gate's header as served.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PYODIDE_FILES, pyodideIndexURL, SANDBOX_CSP, SANDBOX_GATE_FILE } from "./files.ts";

describe("pyodideIndexURL", () => {
  it("puts the folder under the app's base URL", () => {
    expect(pyodideIndexURL("/", "http://127.0.0.1:5173/index.html")).toBe("http://127.0.0.1:5173/pyodide/");
    expect(pyodideIndexURL("/studio", "https://x.org/studio/page")).toBe("https://x.org/studio/pyodide/");
    expect(pyodideIndexURL("./", "https://x.org/a/b/")).toBe("https://x.org/a/b/pyodide/");
  });

  it("lists files that the installed pyodide package holds", () => {
    const dir = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
    for (const name of Object.keys(PYODIDE_FILES)) expect(existsSync(join(dir, name)), name).toBe(true);
  });

  it("gives hosts, in the README, the sandbox gate's file and header exactly as the servers send them", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const hosting = readme.slice(readme.indexOf("## Hosting the build"));
    expect(hosting).toContain(`dist/pyodide/${SANDBOX_GATE_FILE}`);
    expect(hosting).toContain(`Content-Security-Policy: ${SANDBOX_CSP}\n`);
  });
});
