// Checks the demonstrations' Python code against the real Python tool (browser, Pyodide; no GPU needed): for built-in computation and easy questions of every template, the code runs and prints exactly what python_plans.ts claims, and that output is a correct answer to the task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { correctnessScore } from "../rewards/score";
import { builtinTasks } from "../tasks/builtin";
import { PythonTool } from "../tools/python/python_tool";
import { freshSeed } from "../util/random";
import { pythonPlan } from "./python_plans";

let tool: PythonTool;

beforeAll(async () => {
  tool = new PythonTool();
  await tool.ready();
}, 120_000);

afterAll(() => tool.dispose());

describe("pythonPlan", () => {
  it("writes code whose real output is the claimed text and a correct answer", async () => {
    const seed = freshSeed();
    const tasks = builtinTasks({ seed, split: "train", counts: { compute: 60, easy: 40 } });
    const templates = new Set<string>();
    for (const task of tasks) {
      const plan = pythonPlan(task.question, task.answers[0]!);
      expect(plan, `seed ${seed}: ${task.question}`).toBeDefined();
      const result = await tool.run(plan!.code, "plans");
      const msg = `seed ${seed}: ${task.question} → ${plan!.code}`;
      expect(result.error, msg).toBeUndefined();
      expect(result.response, msg).toBe(plan!.printed);
      expect(correctnessScore(plan!.printed.trim(), task.answers, task.kind), msg).toBe(1);
      templates.add(task.question.replace(/\d+|"\w+"|\d+ \w+ \d{4}/g, "#").slice(0, 30));
    }
    // Sixty computation and forty easy questions cover (nearly) every template.
    expect(templates.size, `seed ${seed}`).toBeGreaterThanOrEqual(12);
  });
});
