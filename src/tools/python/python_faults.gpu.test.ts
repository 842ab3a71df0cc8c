// Checks the Python tool's faults in headless Chromium (browser, no GPU needed): endless loops, code that swallows the interrupt, long C-level calls, a 10**9-element list, infinite recursion, printing 100 MB, aborting; each ends in an error response and the next call works.
// No assertion depends on how fast this machine is: an endless call can only come back through the interrupt, so its
// error kind and the restart count say which mechanism stopped it; the suite must pass with every core busy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { cutMarker, RESTART_NOTE } from "./format.ts";
import { PythonTool } from "./python_tool.ts";

const LIMIT_MS = 2000;

let tool: PythonTool;

beforeAll(async () => {
  // A long grace before a stuck worker is replaced: on a loaded machine the soft interrupt can take well over the
  // default 500 ms to land, and the first test tells the two paths apart by the restart count.
  tool = new PythonTool({ timeLimitMs: LIMIT_MS, graceMs: 10_000 });
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
    expect(result.response).toContain("Execution timed out after 2 s");
    expect(tool.restarts).toBe(restarts + 1);
    const next = await tool.run("print('kept' in globals())", "stubborn");
    expect(next.response).toBe(`${RESTART_NOTE}False\n`);
    await expectWorks("stubborn");
  });

  it("stops a long C-level call (which never checks for interrupts) by replacing the worker", async () => {
    const restarts = tool.restarts;
    const result = await tool.run("print(sum(range(10**12)))", "c-level");
    expect(result.error).toBe("timeout");
    expect(tool.restarts).toBe(restarts + 1);
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

  it("replaces the worker when freeing a session runs a finalizer that never returns", async () => {
    const restarts = tool.restarts;
    // The class lives in a dict of its own, so the namespace is in no reference cycle and freeing it runs __del__ at once.
    const code = 'g = {}\nexec("class Stuck:\\n    def __del__(self):\\n        while True:\\n            pass\\n", g)\nk = g["Stuck"]()\ndel g';
    expect((await tool.run(code, "finalizer")).error).toBeUndefined();
    await tool.endSession("finalizer");
    expect(tool.restarts).toBe(restarts + 1);
    await expectWorks("after-finalizer");
  });

  it("stops a call whose signal is aborted and rejects it", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    // A call that ran into the time limit would resolve with a timeout; only the abort makes it reject.
    await expect(tool.run("while True:\n    pass", "abort", controller.signal)).rejects.toThrow(/aborted/);
    await expectWorks("abort");
  });
});

// The output cap, on a tool of its own whose time limit no machine reaches: these check the cap, not the speed.
describe("PythonTool output cap", () => {
  let patient: PythonTool;
  beforeAll(async () => {
    patient = new PythonTool({ timeLimitMs: 600_000 });
    await patient.ready();
  }, 120_000);
  afterAll(() => patient.dispose());

  it("caps printing 100 MB while it is captured", async () => {
    const n = 100_000_000;
    const result = await patient.run(`print("ab" * ${n / 2})`, "flood");
    expect(result.error, result.response.slice(0, 200)).toBeUndefined();
    const half = patient.outputCap / 2;
    const total = n + 1; // the text and print's newline
    const expected = "ab".repeat(half / 2) + cutMarker(total - patient.outputCap) + "ab".repeat(half / 2).slice(1) + "\n";
    expect(result.response).toBe(expected);
    expect((await patient.run("print(6 * 7)", "flood")).response).toBe("42\n");
  }, 660_000);

  it("caps 50 000 small prints and counts exactly what it cut", async () => {
    const n = 50_000;
    let total = 0;
    for (let i = 0; i < n; i++) total += String(i).length + 1;
    const result = await patient.run(`for i in range(${n}):\n    print(i)`, "many");
    expect(result.error, result.response).toBeUndefined();
    expect(result.response).toContain(cutMarker(total - patient.outputCap));
    expect(result.response.endsWith(`\n${n - 1}\n`)).toBe(true);
  }, 660_000);
});
