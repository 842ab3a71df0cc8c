// Checks PythonHost directly in Node (no GPU, no browser, no Worker): boot from the installed package, sessions and their end, formatted errors, the capped response; network blocking and interrupts are covered by the browser tests.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { cutMarker, EMPTY_STDOUT_WARNING } from "./format.ts";
import { PythonHost } from "./python_host.ts";

const host = new PythonHost();

beforeAll(async () => {
  const dir = dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
  const info = await host.boot({
    indexURL: `${dir}/`,
    packageIndexURL: pathToFileURL(`${dir}/no-packages/`).href,
    packages: [],
    blockNetwork: false,
  });
  expect(info.interruptible).toBe(false);
}, 60_000);

describe("PythonHost", () => {
  it("runs code in per-session namespaces and forgets them at endSession", () => {
    const seed = freshSeed();
    const n = Math.floor(mulberry32(seed)() * 1e9);
    expect(host.run("s1", `n = ${n}`, 2000, 2000)).toEqual({ kind: "ok", response: EMPTY_STDOUT_WARNING, dead: false });
    expect(host.run("s1", "print(n * 2)", 2000, 2000).response, `seed ${seed}`).toBe(`${n * 2}\n`);
    expect(host.run("s2", "print(n)", 2000, 2000).kind).toBe("exception");
    expect(host.endSession("s1")).toBe(true);
    expect(host.endSession("s1")).toBe(false);
    expect(host.run("s1", "print(n)", 2000, 2000).response).toContain("NameError");
  });

  it("formats errors with the user's frames only and the exception last", () => {
    const code = "def g():\n    raise ValueError('bad value')\n\ndef f():\n    g()\n\nf()";
    const result = host.run("errors", code, 2000, 2000);
    expect(result.kind).toBe("exception");
    const lines = result.response.split("\n");
    expect(lines[0]).toBe("Traceback (most recent call last):");
    expect(lines.at(-1)).toBe("ValueError: bad value");
    expect(result.response).toContain("line 2, in g");
    expect(result.response).not.toContain("sandbox");
    expect(result.response).not.toContain("run_call");
  });

  it("refuses the bridge imports in Node too", () => {
    for (const code of ["import js", "import pyodide.http", "import micropip", "import pyodide_js"]) {
      expect(host.run("imports", code, 2000, 2000).kind, code).toBe("network");
    }
  });

  it("caps the response to the cap it is given", () => {
    const result = host.run("cap", "print('x' * 5000)", 100, 2000);
    expect(result.response).toBe(`${"x".repeat(50)}${cutMarker(5001 - 100)}${"x".repeat(49)}\n`);
  });
});
