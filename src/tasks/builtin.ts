// The built-in task set: seeded TAPO-style questions in five categories
// (compute, one-hop and two-hop facts, mixed, easy) with train and test
// splits that are disjoint by construction:
//   - compute and easy questions go to the split their text hashes to;
//   - fact and mixed questions go to the split of the entities they name
//     (each entity of the world is in one split by a hash of its id), so a
//     test question never names an entity that a train question names.
// Both rules ignore the seed: any two seeds give disjoint train and test sets.

import { mulberry32 } from "../util/random.ts";
import { computeQuestion, type DraftQuestion, type Rand } from "./compute_questions.ts";
import { easyQuestion } from "./easy_questions.ts";
import { factQuestionPool, type FactQuestion } from "./fact_questions.ts";
import { mixedSampler } from "./mixed_questions.ts";
import { hash64Hex, splitOfEntity, splitOfQuestion } from "./split.ts";
import { tinyFactQuestionPool } from "./tiny_fact_questions.ts";
import { tinyComputeQuestion, tinyEasyQuestion } from "./tiny_questions.ts";
import { TASK_CATEGORIES, type BuiltinTask, type TaskCategory, type TaskSplit, type ToolNeed } from "../protocol/tasks.ts";
import { bundledTinyWorld, bundledWorld } from "./world/bundled.ts";
import type { TinyWorld } from "./world/tiny_world.ts";
import type { World } from "./world/types.ts";

export type BuiltinCounts = Partial<Record<TaskCategory, number>>;

export type BuiltinTaskOptions = {
  /** 32-bit seed: the same seed, split, counts and world give the same tasks. */
  seed: number;
  split: TaskSplit;
  /** Tasks per category; omitted: DEFAULT_BUILTIN_COUNTS; a category left out of a given object: 0. */
  counts?: BuiltinCounts;
  /** The world full-level fact questions ask about; default the bundled world (the one the bundled search corpus describes). The tiny level's ask about `tinyWorld`. */
  world?: World;
  /** "full" (default): TAPO-style questions; "tiny": short operands and answers for the bundled tiny model (tiny_questions.ts). */
  level?: BuiltinLevel;
  /** The tiny world tiny-level fact questions ask about; default the bundled one (the tiny model's build draws fresh ones). */
  tinyWorld?: TinyWorld;
};

export type BuiltinLevel = "full" | "tiny";
export const BUILTIN_LEVELS: readonly BuiltinLevel[] = ["full", "tiny"];

export const DEFAULT_BUILTIN_COUNTS: Record<TaskCategory, number> = { compute: 40, fact1: 40, fact2: 40, mixed: 40, easy: 20 };
/** The tiny level's default: no mixed questions (three tool calls are beyond the tiny model), computation weighted up; 420 a split, so that a DAPO run rarely draws a train question twice (the tiny model memorises a fact it has searched once, then answers it without searching, which fails on held-out questions). */
export const DEFAULT_TINY_COUNTS: Record<TaskCategory, number> = { compute: 180, fact1: 120, fact2: 60, mixed: 0, easy: 60 };

/** Thrown when a category cannot supply as many distinct questions as asked for in a split. */
export class BuiltinPoolExhaustedError extends Error {
  constructor(readonly category: TaskCategory, readonly split: TaskSplit, readonly asked: number, readonly found: number) {
    super(`the built-in ${category} questions of the ${split} split ran out: asked for ${asked}, found ${found} distinct ones; ask for fewer`);
    this.name = "BuiltinPoolExhaustedError";
  }
}

const NEEDS: Record<TaskCategory, ToolNeed[]> = { compute: ["python"], fact1: ["search"], fact2: ["search"], mixed: ["search", "python"], easy: [] };
const STREAM_SALT: Record<TaskCategory | "order", number> = { compute: 0x1c0de, fact1: 0xfac71, fact2: 0xfac72, mixed: 0x31ced, easy: 0xea5e, order: 0x0de5 };

let defaultWorld: World | undefined;

/** `make(key)`, computed once per key object (a world's question pool is built once, then reused). */
function memoised<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, make(key));
    return cache.get(key)!;
  };
}

const poolOf = memoised<World, FactQuestion[]>(factQuestionPool);
const tinyPoolOf = memoised<TinyWorld, FactQuestion[]>(tinyFactQuestionPool);

function shuffled<T>(items: readonly T[], rand: Rand): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws `count` distinct questions from `draw`, giving up after a bounded number of tries. */
function drawDistinct(category: TaskCategory, split: TaskSplit, count: number, draw: () => DraftQuestion | undefined): DraftQuestion[] {
  const seen = new Set<string>();
  const out: DraftQuestion[] = [];
  for (let attempts = 0; out.length < count && attempts < 50 * count + 1000; attempts++) {
    const q = draw();
    if (!q || seen.has(q.question)) continue;
    seen.add(q.question);
    out.push(q);
  }
  if (out.length < count) throw new BuiltinPoolExhaustedError(category, split, count, out.length);
  return out;
}

function draftsFor(category: TaskCategory, count: number, options: BuiltinTaskOptions, world: () => World): DraftQuestion[] {
  if (count === 0) return [];
  const { split } = options;
  const rand = mulberry32((options.seed ^ STREAM_SALT[category]) >>> 0);
  switch (category) {
    case "compute":
    case "easy": {
      const tiny = options.level === "tiny";
      const make = category === "compute" ? (tiny ? tinyComputeQuestion : computeQuestion) : tiny ? tinyEasyQuestion : easyQuestion;
      return drawDistinct(category, split, count, () => {
        const q = make(rand);
        return splitOfQuestion(q.question) === split ? q : undefined;
      });
    }
    case "fact1":
    case "fact2": {
      const hops = category === "fact1" ? 1 : 2;
      const all = options.level === "tiny" ? tinyPoolOf(options.tinyWorld ?? bundledTinyWorld()) : poolOf(world());
      const pool = all.filter((q) => q.hops === hops && q.named.every((id) => splitOfEntity(id) === split));
      if (pool.length < count) throw new BuiltinPoolExhaustedError(category, split, count, pool.length);
      return shuffled(pool, rand).slice(0, count);
    }
    case "mixed": {
      const sample = mixedSampler(world(), split);
      return drawDistinct(category, split, count, () => sample(rand));
    }
  }
}

/**
 * Seeded built-in tasks of one split.
 * @returns counts[c] tasks of each category c, shuffled together; ids are
 *   `tapo-builtin-<category>-<16 hex digits of the question's hash>`.
 * @throws BuiltinPoolExhaustedError when a category has too few distinct questions; RangeError for a bad count.
 */
export function builtinTasks(options: BuiltinTaskOptions): BuiltinTask[] {
  const counts = options.counts ?? (options.level === "tiny" ? DEFAULT_TINY_COUNTS : DEFAULT_BUILTIN_COUNTS);
  const world = () => options.world ?? (defaultWorld ??= bundledWorld());
  const tasks: BuiltinTask[] = [];
  for (const category of TASK_CATEGORIES) {
    const count = counts[category] ?? 0;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`counts.${category} must be a whole number ≥ 0, got ${count}`);
    for (const q of draftsFor(category, count, options, world)) {
      tasks.push({
        id: `tapo-builtin-${options.level === "tiny" ? "tiny-" : ""}${category}-${hash64Hex(q.question)}`,
        question: q.question,
        answers: q.answers,
        kind: q.kind,
        category,
        data_source: "tapo-builtin",
        needs: [...NEEDS[category]],
      });
    }
  }
  return shuffled(tasks, mulberry32((options.seed ^ STREAM_SALT.order) >>> 0));
}
