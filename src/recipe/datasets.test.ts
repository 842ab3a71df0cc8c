// Round trip of the recipe datasets: verl's and TRL's Parquet rows read back with hyparquet equal the tasks and the
// prompts a run renders. No GPU.
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import type { Task } from "../protocol/tasks";
import { getFormat } from "../rollout/formats";
import { promptMessages, rowsToParquet, splitRows } from "./datasets";
import { tasksOf } from "../trainer/request_tasks";

/** Parquet values as plain JSON: INT64 BigInts as numbers. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x)));
}

async function readBack(buffer: ArrayBuffer): Promise<Record<string, unknown>[]> {
  return plain(await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
}

const imported: Task[] = [
  { id: "a", question: "What is 2 + 2?", answers: ["4"], kind: "math", data_source: "mine" },
  { id: "b", question: "Capital of France, \"quoted\" and ünïcode?", answers: ["Paris", "paris, France"], kind: "qa", data_source: "nq" },
  { id: "c", question: "No kind given", answers: ["x"], data_source: "mine" },
];

describe("recipe datasets", () => {
  const format = getFormat("tapo");
  const tiny = tasksOf({ kind: "builtin", seed: 3, level: "tiny" });

  it("verl rows round-trip: data_source, chat prompt with the system prompt, ability, reward_model, extra_info", async () => {
    for (const [tasks, split] of [[tiny.train, "train"], [tiny.test, "test"], [imported, "train"]] as const) {
      const back = await readBack(rowsToParquet("verl", splitRows("verl", tasks, split, format, 4)));
      expect(back.length).toBe(tasks.length);
      back.forEach((row, i) => {
        const t = tasks[i]!;
        expect(row.data_source).toBe(t.data_source);
        expect(row.prompt).toEqual(promptMessages(format, t.question, 4));
        expect((row.prompt as { role: string; content: string }[])[0]!.content).toContain("at most 4 times");
        expect(row.ability).toBe(t.kind ?? "default");
        expect(row.reward_model).toEqual({ style: "rule", ground_truth: t.answers });
        expect(row.extra_info).toEqual({
          split,
          index: i,
          id: t.id,
          question: t.question,
          answers: t.answers,
          kind: t.kind ?? null,
          category: t.category ?? null,
          needs: t.needs ?? [],
          format: "tapo",
        });
      });
    }
  });

  it("TRL rows round-trip: conversational prompt plus the reward's columns", async () => {
    const qwen = getFormat("qwen-native");
    const back = await readBack(rowsToParquet("trl", splitRows("trl", imported, "test", qwen, 2)));
    expect(back).toEqual(
      imported.map((t, i) => ({
        prompt: promptMessages(qwen, t.question, 2),
        answers: t.answers,
        kind: t.kind ?? null,
        data_source: t.data_source,
        task_id: t.id,
        question: t.question,
        split: "test",
        index: i,
        category: null,
        format: "qwen-native",
      })),
    );
  });

  it("writes an empty split as a readable file", async () => {
    expect(await readBack(rowsToParquet("trl", []))).toEqual([]);
  });
});
