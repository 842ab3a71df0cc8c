// Demonstrations for the tiny model's supervised start: whole rollouts of
// built-in tasks in a rollout format, as pieces of text marked policy (what the
// model writes: think, tool calls, answer) or forced (the tool responses,
// which the runtime inserts). Search responses are the real search tool's; the
// Python output is what the code prints (python_plans.ts; the build checks it
// against the real tool). Which kind of demonstration each task gets is drawn
// from demo_mix.json with a seeded generator: mostly the right tool, sometimes
// no tool, the wrong tool, or one step short, so the trained model solves part
// of the tasks and uses tools imperfectly, leaving RL something to improve.
import type { RolloutFormat } from "../protocol/format";
import { PieceWriter, piecesExample, type SftPiece } from "../sft/pieces";
import type { SftExample } from "../sft/sft_weights";
import type { BuiltinTask, TaskCategory } from "../protocol/tasks";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolName } from "../protocol/tools";
import { mulberry32 } from "../util/random";
import mix from "./demo_mix.json";
import { pythonPlan } from "./python_plans";
import type { SearchPlanner } from "./search_plans";

/** What a demonstration does: python / search (the chain the question needs), short (one step early), none (answers at once). */
export type DemoStyle = "python" | "search" | "short" | "none";

/** A stretch of text and who writes it. */
export type DemoPiece = SftPiece;

export type Demonstration = {
  task: BuiltinTask;
  style: DemoStyle;
  pieces: DemoPiece[];
  /** Tools called, in order. */
  calls: ToolName[];
  /** The answer written in <answer>. */
  answer: string;
  /** Whether the demonstration's evidence supports its answer (the tool chain the task needs was run in full). */
  grounded: boolean;
};

export type DemoSettings = {
  seed: number;
  format: RolloutFormat;
  /** Runs one search exactly as a rollout would; returns the response text. */
  search: (query: string) => Promise<string>;
  /** The search that fact questions' queries run (default `search`): the build's fresh tiny worlds have an index of their own. */
  factSearch?: (query: string) => Promise<string>;
  planner: SearchPlanner;
};

/** A task that got no demonstration, and why. */
export type SkippedTask = { task: BuiltinTask; reason: string };

const STYLES = mix.styles as Record<TaskCategory, Partial<Record<DemoStyle, number>>>;

/** Draws a style of `category` from demo_mix.json with `u` uniform in [0, 1). */
export function drawStyle(category: TaskCategory, u: number): DemoStyle {
  const entries = Object.entries(STYLES[category]) as [DemoStyle, number][];
  let acc = 0;
  for (const [style, p] of entries) {
    acc += p;
    if (u < acc) return style;
  }
  return entries.at(-1)![0];
}

/**
 * `text` as it reads where the model copies it from: names and words sit after a space in the
 * question and in the documents (" Futhaeso"), and the tokenizer gives " Futhaeso" other tokens than
 * "Futhaeso". Writing the space makes a search query or an answer the same token run as its source,
 * so the model can learn to copy it; the search tool and the answer matcher trim it.
 */
export function asInContext(text: string): string {
  return /^\p{L}/u.test(text) ? ` ${text}` : text;
}

type Built = { pieces: DemoPiece[]; calls: ToolName[]; grounded: boolean } | { skip: string };

async function writeDemo(task: BuiltinTask, style: DemoStyle, s: DemoSettings): Promise<Built> {
  const gold = task.answers[0]!;
  const w = new PieceWriter(s.format);
  const think = mix.think;
  if (style === "none") return { pieces: w.think(think.none).answer(asInContext(gold)), calls: [], grounded: task.category === "easy" };
  if (style === "python") {
    const plan = pythonPlan(task.question, gold, { nums: s.format.pythonNums === true });
    if (!plan) return { skip: "no Python template matches the question" };
    return { pieces: w.think(think.python).call("python", plan.code, plan.printed).answer(plan.printed.trim()), calls: w.calls, grounded: true };
  }
  if (task.category === "compute" || task.category === "easy") {
    // The wrong tool: search the question itself, then answer anyway.
    const response = await s.search(task.question);
    return { pieces: w.think(think.search).call("search", asInContext(task.question), response).answer(asInContext(gold)), calls: w.calls, grounded: task.category === "easy" };
  }
  const plan = s.planner.plan(task.question);
  if (!plan) return { skip: "the question names no entity of the world" };
  const search = s.factSearch ?? s.search;
  const queries = style === "short" && !plan.combine ? plan.queries.slice(0, 1) : plan.queries;
  w.think(think.search);
  const responses: string[] = [];
  for (const q of queries) {
    const response = await search(q);
    if (!response.includes(`(Title: ${q})`)) return { skip: `searching "${q}" did not return its document first` };
    w.call("search", asInContext(q), response);
    responses.push(response);
  }
  if (plan.combine) {
    const missing = plan.combine.values.find((v, i) => !responses[i]!.includes(v));
    if (missing !== undefined) return { skip: `the documents do not state ${missing}` };
    if (style === "short") return { pieces: w.answer(asInContext(gold)), calls: w.calls, grounded: false };
    return { pieces: w.call("python", plan.combine.code, plan.combine.printed).answer(plan.combine.printed.trim()), calls: w.calls, grounded: true };
  }
  const last = responses.at(-1)!;
  const grounded = queries.length === plan.queries.length;
  if (grounded && !last.includes(gold)) return { skip: `the last document does not state the answer ${gold}` };
  return { pieces: w.answer(asInContext(gold)), calls: w.calls, grounded };
}

/**
 * One demonstration per task (in task order), each of a style drawn from demo_mix.json with
 * `settings.seed`. Tasks whose question fits no plan, or whose search does not return the expected
 * document, are skipped and reported.
 */
export async function buildDemonstrations(tasks: readonly BuiltinTask[], settings: DemoSettings): Promise<{ demos: Demonstration[]; skipped: SkippedTask[] }> {
  const rand = mulberry32(settings.seed);
  const demos: Demonstration[] = [];
  const skipped: SkippedTask[] = [];
  for (const task of tasks) {
    const style = drawStyle(task.category, rand());
    const built = await writeDemo(task, style, settings);
    if ("skip" in built) {
      skipped.push({ task, reason: built.skip });
      continue;
    }
    const answerPiece = built.pieces.at(-1)!.text;
    const answer = answerPiece.slice(answerPiece.lastIndexOf(settings.format.answer.open) + settings.format.answer.open.length, -settings.format.answer.close.length).trim();
    demos.push({ task, style, pieces: built.pieces, calls: built.calls, answer, grounded: built.grounded });
  }
  return { demos, skipped };
}

/** The text after the prompt, as a rollout of the demonstration would read. */
export function demonstrationText(demo: Demonstration): string {
  return demo.pieces.map((p) => p.text).join("");
}

/** The demonstration as the token sequence a rollout would produce (pieces.ts); `responseWeights` as piecesExample takes them. */
export function demonstrationExample(
  demo: Demonstration,
  tokenizer: QwenTokenizer,
  format: RolloutFormat,
  maxTurns: number,
  responseWeights?: Partial<Record<ToolName, number>>,
): SftExample {
  return piecesExample(demo.task.question, demo.pieces, tokenizer, format, maxTurns, responseWeights);
}
