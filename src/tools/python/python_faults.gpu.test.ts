// Checks the Python tool's faults in headless Chromium (browser, no GPU needed): endless loops, code that swallows the interrupt, long C-level calls, a 10**9-element list, infinite recursion, printing 100 MB, aborting; each ends in an error response and the next call works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { cutMarker, RESTART_NOTE } from "./format.ts";
import { PythonTool } from "./python_tool.ts";

const LIMIT_MS = 2000;
/** Scheduling slack on a loaded 2-core machine, on top of the limit (and of the grace when the worker is replaced). */
const MARGIN_MS = 400;

let tool: PythonTool;

beforeAll(async () => {
  tool = new PythonTool({ timeLimitMs: LIMIT_MS });
  await tool.ready();
}, 120_000);

afterAll(() => tool.dispose());

/** Asserts the tool answers a fresh computation correctly in `session`. */
async function expectWorks(session: string): Promise<void> {
  const seed = freshSeed();
  const n = 1 + Math.floor(mulberry32(seed)() * 1e6);
  const result = await tool.run(`print(${n} * 3)`, session);
  expect(result.error, `seed ${seed}: ${result.response}`).toBeUndefined();
  expect(result.response.endsWith(`${n * 3}\n`), `seed ${seed}`).toBe(true);
}

describe("PythonTool faults", () => {
  it("interrupts an endless loop at the time limit and keeps the session", async () => {
    const restarts = tool.restarts;
    await tool.run("kept = 'still here'", "loop");
    const result = await tool.run("print('started')\nwhile True:\n    pass", "loop");
    expect(result.error).toBe("timeout");
    expect(result.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(result.ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
    expect(result.response).toContain("started");
    expect(result.response).toContain("Execution timed out after 2 s");
    expect(tool.restarts).toBe(restarts); // the soft interrupt sufficed
    const next = await tool.run("print(kept)", "loop");
    expect(next.response).toBe("still here\n");
  });

  it("replaces the worker when the code swallows the interrupt, and tells the session", async () => {
    const restarts = tool.restarts;
    await tool.run("kept = 1", "stubborn");
    const code = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass";
    const result = await tool.run(code, "stubborn");
    expect(result.error).toBe("timeout");
    expect(result.ms).toBeLessThan(LIMIT_MS + tool.graceMs + MARGIN_MS);
    expect(result.response).toContain("Execution timed out after 2 s");
    expect(tool.restarts).toBe(restarts + 1);
    const next = await tool.run("print('kept' in globals())", "stubborn");
    expect(next.response).toBe(`${RESTART_NOTE}False\n`);
    await expectWorks("stubborn");
  });

  it("stops a long C-level call (which never checks for interrupts) by replacing the worker", async () => {
    const result = await tool.run("print(sum(range(10**12)))", "c-level");
    expect(result.error).toBe("timeout");
    expect(result.ms).toBeLessThan(LIMIT_MS + tool.graceMs + MARGIN_MS);
    await expectWorks("c-level");
  });

  it("answers a list of 10**9 elements with an error and recovers", async () => {
    const result = await tool.run("x = [0] * 10**9\nprint(len(x))", "memory");
    expect(["memory", "crash"]).toContain(result.error);
    if (result.error === "memory") expect(result.response).toContain("MemoryError");
    await expectWorks("memory");
  });

  it("answers infinite recursion with a RecursionError and recovers", async () => {
    const result = await tool.run("def f(n):\n    return f(n + 1) + 1\n\nf(0)", "recursion");
    expect(result.error, result.response).toBe("recursion");
    expect(result.response).toContain("RecursionError");
    expect(result.response).toContain("in f");
    expect(result.response.length).toBeLessThanOrEqual(tool.outputCap + 100);
    await expectWorks("recursion");
  });

  it("caps printing 100 MB while it is captured", async () => {
    const n = 100_000_000;
    const result = await tool.run(`print("ab" * ${n / 2})`, "flood");
    expect(result.error).toBeUndefined();
    const half = tool.outputCap / 2;
    const total = n + 1; // the text and print's newline
    const expected = "ab".repeat(half / 2) + cutMarker(total - tool.outputCap) + "ab".repeat(half / 2).slice(1) + "\n";
    expect(result.response).toBe(expected);
    await expectWorks("flood");
  });

  // 50 000 prints (~290 KB) are far over the cap yet finish well inside the time limit on a loaded 2-core machine.
  it("caps 50 000 small prints and counts exactly what it cut", async () => {
    const n = 50_000;
    let total = 0;
    for (let i = 0; i < n; i++) total += String(i).length + 1;
    const result = await tool.run(`for i in range(${n}):\n    print(i)`, "many");
    expect(result.error, result.response).toBeUndefined();
    expect(result.response).toContain(cutMarker(total - tool.outputCap));
    expect(result.response.endsWith(`\n${n - 1}\n`)).toBe(true);
  });

  it("stops a call whose signal is aborted and rejects it", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    await expect(tool.run("while True:\n    pass", "abort", controller.signal)).rejects.toThrow(/aborted/);
    expect(performance.now() - started).toBeLessThan(LIMIT_MS);
    await expectWorks("abort");
  });
});
