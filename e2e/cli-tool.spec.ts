// End-to-end: `npx tapo tool python CODE` and `npx tapo tool search QUERY` answer exactly what a rollout would
// insert (stdout, the timeout message, the Doc-formatted results, the query check), as one JSON line each.
// Needs Chromium (the tools run in the engine's page); no GPU work.
import { execFile } from "node:child_process";
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";

test.describe.configure({ timeout: 120_000 });

type ToolLine = { event: string; tool: string; response: string; error: string | null; ms: number };

function tool(args: string[]): Promise<{ code: number; line?: ToolLine; stderr: string }> {
  return new Promise((resolve) => {
    execFile("node", ["bin/tapo.mjs", "tool", ...args, "--json"], (error, stdout, stderr) => {
      const text = stdout.trim();
      resolve({ code: error ? 1 : 0, ...(text ? { line: JSON.parse(text) as ToolLine } : {}), stderr });
    });
  });
}

test("python runs the code and answers its stdout", async () => {
  const a = 1000 + Math.floor(Math.random() * 9000);
  const run = await tool(["python", `print(${a} ** 3 % 97)`]);
  expect(run.code).toBe(0);
  expect(run.line).toMatchObject({ event: "tool", tool: "python", response: `${a ** 3 % 97}\n`, error: null });
});

test("python with --question binds the question's numbers as nums, as the tiny format's rollouts do", async () => {
  const [a, b] = [10 + Math.floor(Math.random() * 90), 10 + Math.floor(Math.random() * 90)];
  const run = await tool(["python", "print(nums[0] * nums[1])", "--question", `What is ${a} * ${b}?`]);
  expect(run.code).toBe(0);
  expect(run.line).toMatchObject({ response: `${a * b}\n`, error: null });
  // Without it, nums is not defined: the tool answers Python's error, as a rollout in another format would see it.
  expect((await tool(["python", "print(nums[0])"])).line?.response).toMatch(/NameError/);
});

test("--help answers with the commands, or a command's flags, exit 0", async () => {
  const cases: [string[], string][] = [
    [["--help"], "  train     DAPO training"],
    [["train", "--help"], "usage: tapo train --model M --task T [flags]"],
    [["tool", "python", "-h"], "usage: tapo tool python CODE [--question Q]"],
  ];
  for (const [args, want] of cases) {
    const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile("node", ["bin/tapo.mjs", ...args], (error, stdout) => resolve({ code: error ? 1 : 0, stdout })),
    );
    expect(out.code, args.join(" ")).toBe(0);
    expect(out.stdout).toContain(want);
  }
});

test("python stops an endless loop at the time limit and says so", async () => {
  const run = await tool(["python", "while True: pass"]);
  expect(run.line?.error).toBe("timeout");
  expect(run.line?.response).toMatch(/^Execution timed out after 2 s/);
  expect(run.line!.ms).toBeGreaterThanOrEqual(1995); // it ran to the limit; how much later it stopped depends on the machine's load
});

test("search finds a fictional entity's document in the bundled corpus, formatted as Doc i: (Title: …)", async () => {
  const docs = readFileSync("public/corpus/tapo-world.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l) as { title: string });
  const person = { name: docs[Math.floor(Math.random() * docs.length)]!.title };
  const run = await tool(["search", person.name]);
  expect(run.code).toBe(0);
  expect(run.line?.error).toBeNull();
  expect(run.line?.response).toMatch(/^Doc 1: \(Title: /);
  expect(run.line?.response).toContain(`(Title: ${person.name})`);
  // Under Node (Dawn) the corpus is read from disk, and the answer is the same.
  const onNode = await tool(["search", person.name, "--runtime", "node"]);
  expect(onNode.code, onNode.stderr).toBe(0);
  expect(onNode.line?.response).toBe(run.line?.response);
});

test("a query under 3 characters is rejected with a message the model sees", async () => {
  const run = await tool(["search", "ab"]);
  expect(run.line?.error).toBe("rejected");
  expect(run.line?.response.length).toBeGreaterThan(10);
});
