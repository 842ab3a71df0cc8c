// Checks the post-SFT summary (Node, no GPU): accuracy overall and per category, format passes, tool calls per rollout, and the adaptive-tool-use shares (Python on compute, search on facts, nothing on easy) on hand-made rollouts.
import { describe, expect, it } from "vitest";
import { getFormat } from "../rollout/formats";
import type { Rollout } from "../rollout/rollout_state";
import type { BuiltinTask, TaskCategory } from "../protocol/tasks";
import type { ToolName } from "../protocol/tools";
import { summarise } from "./measure";

const format = getFormat("tiny");

function task(category: TaskCategory, answer: string): BuiltinTask {
  return { id: `${category}-${answer}`, question: "q", answers: [answer], kind: "math", category, data_source: "tapo-builtin", needs: [] };
}

function rollout(text: string, tools: ToolName[], finish: Rollout["finish"] = "answer"): Rollout {
  return {
    questionIndex: 0, sampleIndex: 0, tokens: [], origins: [], logprobs: [], text, segments: [],
    toolCalls: tools.map((tool) => ({ tool, ms: 1 })), turns: 1 + tools.length, finish, promptTokens: 0, policyTokens: 10 * (1 + tools.length), forcedTokens: 0,
  };
}

describe("summarise", () => {
  it("scores each rollout against its task and splits the figures by category", () => {
    const tasks = [task("compute", "42"), task("compute", "7"), task("fact1", "1540"), task("fact2", "9"), task("easy", "5"), task("easy", "6")];
    const rollouts = [
      rollout("<code>print(6*7)</code>\n<response>42\n</response>\n<answer>42</answer>", ["python"]),
      rollout("<answer>8</answer>", []),
      rollout("<search>Futhaeso</search>\n<response>founded in 1540</response>\n<answer>1540</answer>", ["search"]),
      rollout("<think>hmm", [], "length"),
      rollout("<answer>5</answer>", []),
      rollout("<code>print(3+3)</code>\n<response>6\n</response>\n<answer>6</answer>", ["python"]),
    ];
    const r = summarise(tasks, rollouts, format);
    expect(r.overall.n).toBe(6);
    expect(r.overall.acc).toBeCloseTo(4 / 6, 12);
    expect(r.overall.format).toBeCloseTo(5 / 6, 12);
    expect(r.byCategory.compute).toMatchObject({ n: 2, acc: 0.5, python: 0.5, noTool: 0.5, toolCalls: 0.5 });
    expect(r.byCategory.fact2).toMatchObject({ n: 1, acc: 0, format: 0, search: 0 });
    expect(r.byCategory.mixed).toBeUndefined();
    expect(r.adaptive).toEqual({ pythonOnCompute: 0.5, searchOnFacts: 0.5, nothingOnEasy: 0.5 });
    expect(r.finish).toEqual({ answer: 5, length: 1 });
    expect(r.responseTokens).toBeCloseTo((20 + 10 + 20 + 10 + 10 + 20) / 6, 12);
    expect(() => summarise(tasks, rollouts.slice(1), format)).toThrow(/6 tasks but 5 rollouts/);
  });
});
