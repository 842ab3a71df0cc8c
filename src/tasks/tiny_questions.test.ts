// Checks the built-in tasks' tiny level (Node, no GPU): each answer is what its question asks (parsed back and recomputed), operands are as short as promised, easy words appear in the question, splits share no question, and the default counts leave out mixed questions.
import { describe, expect, it } from "vitest";
import { freshSeed } from "../util/random.ts";
import { builtinTasks, DEFAULT_TINY_COUNTS } from "./builtin.ts";

describe("builtinTasks at the tiny level", () => {
  it("asks short computations whose answers are right, and easy questions answered by a word of the question", () => {
    const seed = freshSeed();
    const tasks = builtinTasks({ seed, split: "train", level: "tiny", counts: { compute: 200, easy: 100 } });
    expect(tasks).toHaveLength(300);
    const ops = new Set<string>();
    for (const t of tasks) {
      const msg = `seed ${seed}: ${t.question} → ${t.answers[0]}`;
      expect(t.id, msg).toMatch(/^tapo-builtin-tiny-(compute|easy)-[0-9a-f]{16}$/);
      if (t.category === "compute") {
        const m = /^What is (\d+) ([*+-]) (\d+)\?$/.exec(t.question);
        expect(m, msg).not.toBeNull();
        const [a, op, b] = [Number(m![1]), m![2]!, Number(m![3])];
        ops.add(op);
        expect(Number(t.answers[0]), msg).toBe(op === "*" ? a * b : op === "+" ? a + b : a - b);
        expect(Math.max(a, b), msg).toBeLessThan(op === "*" ? 100 : 1000);
        expect(Number(t.answers[0]), msg).toBeGreaterThan(0);
        expect(t.needs).toEqual(["python"]);
      } else {
        const m = /^Repeat the word ([A-Z][a-z]+)\.$/.exec(t.question);
        expect(m, msg).not.toBeNull();
        expect(t.answers, msg).toEqual([m![1]]);
        expect(t.needs).toEqual([]);
      }
    }
    expect([...ops].sort()).toEqual(["*", "+", "-"]);
  });

  it("keeps train and test apart, repeats for a seed, and by default has no mixed questions", () => {
    const seed = freshSeed();
    const train = builtinTasks({ seed, split: "train", level: "tiny" });
    const test = builtinTasks({ seed: seed + 1, split: "test", level: "tiny" });
    const seen = new Set(train.map((t) => t.question));
    expect(test.filter((t) => seen.has(t.question)), `seeds ${seed}, ${seed + 1}`).toEqual([]);
    expect(builtinTasks({ seed, split: "train", level: "tiny" })).toEqual(train);
    expect(train.filter((t) => t.category === "mixed")).toEqual([]);
    expect(train).toHaveLength(Object.values(DEFAULT_TINY_COUNTS).reduce((a, b) => a + b, 0));
    // The full level is unchanged by the option: its computations are not the tiny ones.
    const full = builtinTasks({ seed, split: "train", counts: { compute: 50 } });
    expect(full.some((t) => /^What is \d+ [*+-] \d+\?$/.test(t.question))).toBe(false);
  });
});
