// Checks builtinTasks (Node, no GPU): the item schema, determinism in the seed, exact counts, and train/test splits that share no question and no named entity, across seeds.
import { describe, expect, it } from "vitest";
import { freshSeed } from "../util/random.ts";
import { builtinTasks, BuiltinPoolExhaustedError } from "./builtin.ts";
import { factQuestionPool } from "./fact_questions.ts";
import { TASK_CATEGORIES, type BuiltinTask } from "../protocol/tasks.ts";
import { bundledWorld } from "./world/bundled.ts";
import { generateWorld } from "./world/generate.ts";

const COUNTS = { compute: 30, fact1: 30, fact2: 30, mixed: 30, easy: 20 };
const world = bundledWorld();

/** Entities whose full name appears as whole words in a question. */
function namedEntities(tasks: BuiltinTask[]): Set<string> {
  const out = new Set<string>();
  const texts = tasks.filter((t) => t.category !== "compute" && t.category !== "easy").map((t) => t.question);
  for (const e of world.entities) {
    const pattern = new RegExp(`(^|[^\\w])${e.name}([^\\w]|$)`);
    if (texts.some((q) => pattern.test(q))) out.add(e.id);
  }
  return out;
}

describe("builtinTasks", () => {
  it("gives items of the documented shape, in the asked counts", () => {
    const seed = freshSeed();
    const tasks = builtinTasks({ seed, split: "train", counts: COUNTS, world });
    for (const c of TASK_CATEGORIES) expect(tasks.filter((t) => t.category === c).length, `seed ${seed}: ${c}`).toBe(COUNTS[c]);
    expect(new Set(tasks.map((t) => t.id)).size, `seed ${seed}: ids unique`).toBe(tasks.length);
    const needs = { compute: ["python"], fact1: ["search"], fact2: ["search"], mixed: ["search", "python"], easy: [] };
    for (const t of tasks) {
      expect(t.data_source).toBe("tapo-builtin");
      expect(t.answers.length).toBeGreaterThan(0);
      expect(t.answers.every((a) => a.trim() !== "")).toBe(true);
      expect(["math", "qa", "calc"]).toContain(t.kind);
      expect(t.needs, `seed ${seed}: ${t.question}`).toEqual(needs[t.category]);
      expect(t.id).toMatch(new RegExp(`^tapo-builtin-${t.category}-[0-9a-f]{16}$`));
    }
    const categories = tasks.map((t) => t.category);
    expect(categories.slice(0, 30).every((c) => c === categories[0]), `seed ${seed}: categories are shuffled together`).toBe(false);
  });

  it("is a function of its seed", () => {
    const seed = freshSeed();
    const a = builtinTasks({ seed, split: "test", counts: COUNTS, world });
    expect(builtinTasks({ seed, split: "test", counts: COUNTS, world }), `seed ${seed}`).toEqual(a);
    const b = builtinTasks({ seed: seed + 1, split: "test", counts: COUNTS, world });
    expect(b.map((t) => t.question), `seed ${seed}`).not.toEqual(a.map((t) => t.question));
  });

  it("keeps train and test apart, also across different seeds", () => {
    const seed = freshSeed();
    const big = { compute: 300, fact1: 300, fact2: 300, mixed: 200, easy: 60 };
    const train = [seed, seed + 7].flatMap((s) => builtinTasks({ seed: s, split: "train", counts: big, world }));
    const test = [seed + 1, seed + 99].flatMap((s) => builtinTasks({ seed: s, split: "test", counts: { ...big, fact1: 150, fact2: 150, mixed: 80 }, world }));
    const trainQuestions = new Set(train.map((t) => t.question));
    const shared = test.filter((t) => trainQuestions.has(t.question));
    expect(shared.map((t) => t.question), `seed ${seed}`).toEqual([]);
    const trainNamed = namedEntities(train);
    const testNamed = namedEntities(test);
    expect(testNamed.size, `seed ${seed}`).toBeGreaterThan(100);
    expect([...testNamed].filter((id) => trainNamed.has(id)), `seed ${seed}: entities named in both splits`).toEqual([]);
  });

  it("asks fact questions from the world's question pool", () => {
    const seed = freshSeed();
    const pool = new Map(factQuestionPool(world).map((q) => [q.question, q]));
    for (const t of builtinTasks({ seed, split: "train", counts: { fact1: 50, fact2: 50 }, world })) {
      const q = pool.get(t.question);
      expect(q?.answers, `seed ${seed}: ${t.question}`).toEqual(t.answers);
      expect(q?.hops).toBe(t.category === "fact1" ? 1 : 2);
    }
  });

  it("says so when a split runs out of questions, and refuses bad counts", () => {
    const tiny = generateWorld(3, { countries: 2, cities: 6, organisations: 4, people: 10, events: 3 });
    expect(() => builtinTasks({ seed: 1, split: "test", counts: { fact1: 5000 }, world: tiny })).toThrow(BuiltinPoolExhaustedError);
    expect(() => builtinTasks({ seed: 1, split: "test", counts: { easy: 5000 } })).toThrow(/easy questions of the test split ran out/);
    expect(() => builtinTasks({ seed: 1, split: "train", counts: { compute: -1 } })).toThrow(RangeError);
    expect(() => builtinTasks({ seed: 1, split: "train", counts: { compute: 1.5 } })).toThrow(RangeError);
  });
});
