// Checks held-out evaluation on a scripted policy (Node, no GPU): greedy answers once per task; sampled with k samples scores all k·n rollouts (avg@k) with the per-category shares over them, and runs in waves of the generator's cache.
import { describe, expect, it } from "vitest";
import { getFormat } from "../rollout/formats";
import { ScriptedGenerator, TableToolRunner } from "../rollout/testing";
import type { Task } from "../protocol/tasks";
import { loadShippedQwenFiles } from "../tokenizer/testing_files";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { freshSeed } from "../util/random";
import { evaluate } from "./evaluate";

const files = loadShippedQwenFiles();
const tokenizer = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
const config = { maxTurns: 2, toolResponseTokens: 64, maxResponseTokens: 64, temperature: 1, topP: 1 };
const tasks: Task[] = [
  { id: "a", question: "What is 12 * 3?", answers: ["36"], kind: "math", category: "compute", data_source: "t" },
  { id: "b", question: "Repeat the word Kalo.", answers: ["Kalo"], kind: "qa", category: "easy", data_source: "t" },
];

describe("evaluate", () => {
  it("scores k samples per task in sampled mode: accuracy is the mean over all k·n rollouts", async () => {
    // The nth sample of the computation answers right only when n is even; the easy question is always right.
    const generator = new ScriptedGenerator(tokenizer, (prompt, nth) => (prompt.includes("12 * 3") ? [`<answer>${nth % 2 === 0 ? 36 : 35}</answer>`] : ["<answer>Kalo</answer>"]), freshSeed());
    generator.slots = 4;
    const tools = new TableToolRunner({}, { pythonOutput: "" });
    const deps = { generator, tokenizer, tools, format: getFormat("tiny") };
    const sampled = await evaluate(deps, tasks, { mode: "sampled", samples: 4, step: 3, seed: 1, config });
    expect(generator.sequences).toHaveLength(8);
    expect(generator.maxAlive).toBeLessThanOrEqual(4);
    expect(sampled.eval).toMatchObject({ mode: "sampled", n: 2, samples: 4, step: 3, acc: 6 / 8 });
    expect(sampled.eval.byCategory?.compute).toMatchObject({ n: 4, acc: 0.5, usedNone: 1 });
    expect(sampled.eval.byCategory?.easy).toMatchObject({ n: 4, acc: 1 });
    const greedy = await evaluate({ ...deps, generator: new ScriptedGenerator(tokenizer, () => ["<answer>36</answer>"], 1) }, tasks, { mode: "greedy", samples: 4, step: 0, seed: 1, config });
    expect(greedy.eval).toMatchObject({ mode: "greedy", n: 2, acc: 0.5 });
    expect(greedy.eval.samples).toBeUndefined();
    expect(greedy.rollouts).toHaveLength(2);
  });
});
