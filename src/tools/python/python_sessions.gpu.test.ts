// Checks that rollouts sharing the Python tool's interpreter cannot reach each other (headless Chromium, no GPU
// needed): each change one session's code makes to shared state (decimal precision, a module's function, a stdlib
// class, the builtins, sys.stdout, the recursion and digit limits, the environment, the random state, files in /tmp
// and the working folder) is gone for the next session, and a session's files are removed when it ends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed } from "../../util/random.ts";
import { PythonTool } from "./python_tool.ts";

let tool: PythonTool;

beforeAll(async () => {
  tool = new PythonTool();
  await tool.ready();
}, 120_000);

afterAll(() => tool.dispose());

/** Runs `code` in `session` and returns what it printed; fails the test on an error. */
async function printed(code: string, session: string): Promise<string> {
  const result = await tool.run(code, session);
  expect(result.error, `${session}: ${code}\n→ ${result.response}`).toBeUndefined();
  return result.response;
}

describe("Python sessions", () => {
  it("do not see another session's decimal precision or decimal templates", async () => {
    const before = await printed("import decimal\nprint(decimal.getcontext().prec, decimal.DefaultContext.prec)", "dec-0");
    await printed("import decimal\ndecimal.getcontext().prec = 5\ndecimal.DefaultContext.prec = 3\nprint(decimal.Decimal(1) / 7)", "dec-a");
    expect(await printed("import decimal\nprint(decimal.getcontext().prec, decimal.DefaultContext.prec)", "dec-b")).toBe(before);
    expect(before).toBe("28 28\n");
  });

  it("do not see a module function, a module constant or a stdlib class method another session replaced", async () => {
    await printed("import math, fractions\nmath.sqrt = lambda x: -1\nmath.tau = 0\nfractions.Fraction.__repr__ = lambda self: 'forged'\nprint('done')", "mod-a");
    expect(await printed("import math, fractions\nprint(math.sqrt(16), math.tau > 6, repr(fractions.Fraction(1, 2)))", "mod-b")).toBe("4.0 True Fraction(1, 2)\n");
  });

  it("do not see a module imported and changed by another session", async () => {
    await printed("import colorsys\ncolorsys.ONE_THIRD = 0\ncolorsys.rgb_to_hsv = lambda *a: 'forged'\nprint('done')", "new-a");
    expect(await printed("import colorsys\nprint(colorsys.ONE_THIRD > 0.3, colorsys.rgb_to_hsv(1, 0, 0))", "new-b")).toBe("True (0.0, 1.0, 1)\n");
  });

  it("each have their own builtins, and the builtins module is put back", async () => {
    await printed("__builtins__['abs'] = lambda x: 'forged'\nimport builtins\nbuiltins.len = lambda x: 0\nbuiltins.forged = 1\nprint(abs(-3))", "bi-a");
    expect(await printed("import builtins\nprint(abs(-3), len('ab'), hasattr(builtins, 'forged'))", "bi-b")).toBe("3 2 False\n");
  });

  it("print again on the next call after replacing sys.stdout, even in the same session", async () => {
    const swallowed = await tool.run("import sys, io\nsys.stdout = io.StringIO()\nprint('swallowed')", "out-a");
    expect(swallowed.response).not.toContain("swallowed");
    expect(await printed("print('visible')", "out-a")).toBe("visible\n");
    expect(await printed("print('also visible')", "out-b")).toBe("also visible\n");
  });

  it("do not see another session's recursion limit, int_max_str_digits or environment", async () => {
    const read = "import sys, os\nprint(sys.getrecursionlimit(), sys.get_int_max_str_digits(), os.environ.get('FORGED'))";
    const before = await printed(read, "lim-0");
    await printed("import sys, os\nsys.setrecursionlimit(60)\nsys.set_int_max_str_digits(700)\nos.environ['FORGED'] = '1'\nprint('done')", "lim-a");
    expect(await printed(read, "lim-b")).toBe(before);
    expect(before).toMatch(/^\d+ \d+ None\n$/);
  });

  it("keep their own random state across calls, whatever other sessions seed", async () => {
    const seed = freshSeed();
    await printed(`import random\nrandom.seed(${seed})\nx1 = random.random()\nprint('ok')`, "rnd-a");
    await printed(`import random\nrandom.seed(${seed + 1})\nprint(random.random())`, "rnd-b");
    const check = `import random\nr = random.Random(${seed})\nr.random()\nprint(random.random() == r.random())`;
    expect(await printed(check, "rnd-a"), `seed ${seed}`).toBe("True\n");
  });

  it("do not lose imports or the working folders to another session's sys.path or a /tmp swapped for a link", async () => {
    await printed("import sys, os\nsys.path.clear()\nsys.meta_path[:] = []\nos.rmdir('/tmp')\nos.symlink('/lib', '/tmp')\nprint('done')", "swap-a");
    const check = "import os, colorsys, json\nprint(os.path.islink('/tmp'), os.path.isdir('/tmp'), len(os.listdir('/lib')) > 0, json.dumps([1]))";
    expect(await printed(check, "swap-b")).toBe("False True True [1]\n");
  });

  it("keep their files to themselves, and lose them when they end", async () => {
    const write = "import os\nos.makedirs('/tmp/d', exist_ok=True)\nopen('/tmp/d/note.txt', 'w').write('secret')\nopen('local.txt', 'w').write('mine')\nprint('written')";
    await printed(write, "file-a");
    const look = "import os\nprint(os.path.exists('/tmp/d/note.txt'), os.path.exists('local.txt'))";
    expect(await printed(look, "file-b")).toBe("False False\n");
    expect(await printed("print(open('/tmp/d/note.txt').read(), open('local.txt').read())", "file-a")).toBe("secret mine\n");
    await tool.endSession("file-a");
    expect(await printed(look, "file-a")).toBe("False False\n");
    expect(await printed(look, "file-c")).toBe("False False\n");
  });
});
