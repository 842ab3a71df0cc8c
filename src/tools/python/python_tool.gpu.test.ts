// Checks the Python tool in headless Chromium (browser, no GPU needed): boot from the app's own files, stdout capture, middle truncation, the empty-stdout warning, sessions, the allowed modules, syntax and runtime errors, blocked network, missing numpy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { cutMarker, EMPTY_STDOUT_WARNING } from "./format.ts";
import { PythonTool } from "./python_tool.ts";

let tool: PythonTool;

beforeAll(async () => {
  // numpy is asked for from an index that cannot answer: the offline path.
  tool = new PythonTool({ packages: ["numpy"], packageIndexURL: "http://127.0.0.1:9/no-index/" });
  await tool.ready();
}, 120_000);

afterAll(() => tool.dispose());

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

describe("PythonTool", () => {
  it("boots in a cross-origin isolated page, so calls can be interrupted", async () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(tool.interruptible).toBe(true);
    const info = await tool.ready();
    expect(info.pythonVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(info.interruptible).toBe(true);
  });

  it("returns what the code prints", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const a = Math.floor(rand() * 1e6);
    const b = Math.floor(rand() * 1e6);
    const result = await tool.run(`x = ${a}\ny = ${b}\nprint(x * y)\nprint("done")`, "capture");
    expect(result.error, `seed ${seed}`).toBeUndefined();
    expect(result.response, `seed ${seed}`).toBe(`${BigInt(a) * BigInt(b)}\ndone\n`);
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it("cuts long output in the middle and says how much was cut", async () => {
    const n = 3000;
    const expected = Array.from({ length: n }, (_, i) => `${i}\n`).join("");
    const result = await tool.run(`for i in range(${n}):\n    print(i)`, "long");
    expect(result.error).toBeUndefined();
    const half = tool.outputCap / 2;
    const marker = cutMarker(expected.length - tool.outputCap);
    expect(result.response).toBe(expected.slice(0, half) + marker + expected.slice(expected.length - half));
  });

  it("warns the model to print when the code printed nothing", async () => {
    const result = await tool.run("x = 2 + 2", "silent");
    expect(result.error).toBeUndefined();
    expect(result.response).toBe(EMPTY_STDOUT_WARNING);
    const printed = await tool.run("print(x)", "silent");
    expect(printed.response).toBe("4\n");
  });

  it("keeps one namespace per session and frees it at endSession", async () => {
    const seed = freshSeed();
    const v = Math.floor(mulberry32(seed)() * 1e9);
    expect((await tool.run(`v = ${v}`, "A")).error).toBeUndefined();
    const other = await tool.run("print(v)", "B");
    expect(other.error).toBe("exception");
    expect(other.response).toContain("NameError: name 'v' is not defined");
    const same = await tool.run("print(v + 1)", "A");
    expect(same.response, `seed ${seed}`).toBe(`${v + 1}\n`);
    await tool.endSession("A");
    const after = await tool.run("print(v)", "A");
    expect(after.response).toContain("NameError");
  });

  it("offers math, cmath, statistics, random, decimal and fractions", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const a = 1 + Math.floor(rand() * 10000);
    const b = 1 + Math.floor(rand() * 10000);
    const xs = Array.from({ length: 5 }, () => Math.floor(rand() * 100));
    const code = [
      "import math, cmath, statistics, random, decimal, fractions",
      `print(math.gcd(${a}, ${b}))`,
      `print(statistics.median([${xs.join(", ")}]))`,
      `print(fractions.Fraction(${a}, ${b}))`,
      `print(decimal.Decimal(${a}) + decimal.Decimal("0.25"))`,
      `print(cmath.sqrt(-${a * a}))`,
      `random.seed(${seed}); r1 = random.random(); random.seed(${seed}); print(r1 == random.random(), 0 <= r1 < 1)`,
    ].join("\n");
    const result = await tool.run(code, "modules");
    expect(result.error, result.response).toBeUndefined();
    const g = gcd(a, b);
    const median = [...xs].sort((p, q) => p - q)[2];
    const fraction = b / g === 1 ? `${a / g}` : `${a / g}/${b / g}`;
    const expected = [`${g}`, `${median}`, fraction, `${a}.25`, `${a}j`, "True True", ""].join("\n");
    expect(result.response, `seed ${seed}`).toBe(expected);
  });

  it("reports a syntax error with its line", async () => {
    const result = await tool.run("x = 1\ny = 2\nz = (x +\nprint(z)", "syntax");
    expect(result.error).toBe("syntax");
    expect(result.response).toMatch(/SyntaxError/);
    expect(result.response).toMatch(/line 3/);
  });

  it("reports a runtime error with its type, message and the traceback's last lines", async () => {
    const code = "print('before')\ndef f(d):\n    return 10 / d\n\nf(0)";
    const result = await tool.run(code, "runtime");
    expect(result.error).toBe("exception");
    expect(result.response.startsWith("before\n")).toBe(true);
    expect(result.response).toContain("Traceback (most recent call last):");
    expect(result.response).toContain("line 3, in f");
    expect(result.response.trimEnd().endsWith("ZeroDivisionError: division by zero")).toBe(true);
    expect(result.response).not.toContain("sandbox");
  });

  it("refuses every route to the network", async () => {
    // A URL this page can reach: if a route were open, its JSON would come back.
    const url = new URL("pyodide/pyodide-lock.json", location.href).href;
    const bridge = "import sys\ng = sys.modules['pyodide.code'].run_js('globalThis')";
    const attempts = [
      "import js\nprint(js.fetch)",
      "from js import fetch\nprint(fetch)",
      "import pyodide.http\nprint(pyodide.http.open_url)",
      "from pyodide.http import pyfetch\nprint(pyfetch)",
      "import pyodide_js\nprint(pyodide_js)",
      "import micropip\nprint(micropip)",
      "import importlib\nprint(importlib.import_module('js').fetch)",
      "import importlib\nprint(importlib.import_module('pyodide.http').pyfetch)",
      // Past the import guards (through a module already loaded): the worker's network globals are stubs.
      `${bridge}\nprint(g.fetch(${JSON.stringify(url)}))`,
      `${bridge}\nr = g.XMLHttpRequest.new()\nr.open('GET', ${JSON.stringify(url)}, False)\nr.send()\nprint(r.responseText)`,
      `${bridge}\nprint(g.WebSocket.new('ws://127.0.0.1:9/'))`,
      `${bridge}\nprint(g.EventSource.new(${JSON.stringify(url)}))`,
      `${bridge}\nprint(g.importScripts(${JSON.stringify(url)}))`,
      `${bridge}\nprint(g.Worker.new(${JSON.stringify(url)}))`,
      `import urllib.request\nprint(urllib.request.urlopen(${JSON.stringify(url)}).read())`,
    ];
    for (const code of attempts) {
      const result = await tool.run(code, "network");
      expect(result.error, `${code}\n→ ${result.response}`).toBeDefined();
      expect(result.response, code).not.toContain("abi_version");
    }
    // The bridge routes are classified as network refusals.
    for (const code of attempts.slice(0, -1)) {
      const result = await tool.run(code, "network");
      expect(result.error, `${code}\n→ ${result.response}`).toBe("network");
    }
  });

  it("explains that numpy is missing when its index could not be reached", async () => {
    const info = await tool.ready();
    expect(info.packages.numpy).not.toBe("loaded");
    const result = await tool.run("import numpy as np\nprint(np.zeros(3))", "numpy");
    expect(result.error).toBe("import");
    expect(result.response).toContain("ModuleNotFoundError: No module named 'numpy'");
    expect(result.response).toContain("could not be loaded");
    const sympy = await tool.run("import sympy", "numpy");
    expect(sympy.response).toContain("sympy is not loaded in this sandbox");
  });

  it("gives code no standard input", async () => {
    const result = await tool.run("x = input()", "stdin");
    expect(result.error).toBe("exception");
    expect(result.response).toMatch(/Error/);
  });
});
