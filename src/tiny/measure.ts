// What the tiny model's build measures after SFT: rollouts (greedy, or k samples a task) of the
// built-in test split with the real tools, scored like training, summarised
// overall and per category, with the adaptive-tool-use shares the learning
// benchmark tracks (Python on compute, search on facts, nothing on easy).
import type { SamplingParams, SequenceGenerator } from "../generate/types";
import { formatTagsOf } from "../rewards/format";
import { scoreRollout } from "../rewards/score";
import type { RolloutFormat } from "../protocol/format";
import { runRollouts } from "../rollout/rollout";
import type { Rollout } from "../rollout/rollout_state";
import type { BuiltinTask, TaskCategory } from "../protocol/tasks";
import { TASK_CATEGORIES } from "../protocol/tasks";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolRunner } from "../protocol/tools";

export type CategoryFigures = {
  n: number;
  acc: number;
  /** Rollouts whose answer block is well formed (format reward passed). */
  format: number;
  /** Tool calls per rollout. */
  toolCalls: number;
  /** Share of rollouts that called Python / search at least once / no tool at all. */
  python: number;
  search: number;
  noTool: number;
};

export type MeasureResult = {
  overall: CategoryFigures;
  byCategory: Partial<Record<TaskCategory, CategoryFigures>>;
  /** The shares that show adaptive tool use. */
  adaptive: { pythonOnCompute: number; searchOnFacts: number; nothingOnEasy: number };
  /** Policy tokens per rollout. */
  responseTokens: number;
  finish: Record<string, number>;
};

const share = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : 0);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function figures(rows: { r: Rollout; correct: boolean; format: boolean }[]): CategoryFigures {
  const used = (r: Rollout, tool: "python" | "search") => r.toolCalls.some((c) => c.tool === tool);
  return {
    n: rows.length,
    acc: share(rows.map((x) => x.correct)),
    format: share(rows.map((x) => x.format)),
    toolCalls: mean(rows.map((x) => x.r.toolCalls.length)),
    python: share(rows.map((x) => used(x.r, "python"))),
    search: share(rows.map((x) => used(x.r, "search"))),
    noTool: share(rows.map((x) => x.r.toolCalls.length === 0)),
  };
}

/** Scores finished rollouts of `tasks` (rollout i answers task i) and summarises them. */
export function summarise(tasks: readonly BuiltinTask[], rollouts: readonly Rollout[], format: RolloutFormat): MeasureResult {
  if (tasks.length !== rollouts.length) throw new Error(`summarise: ${tasks.length} tasks but ${rollouts.length} rollouts`);
  const tags = formatTagsOf(format);
  const rows = rollouts.map((r, i) => {
    const task = tasks[i]!;
    const reward = scoreRollout(r.text, task.answers, task.kind, { tags });
    return { r, task, correct: reward.correct, format: reward.format };
  });
  const byCategory: MeasureResult["byCategory"] = {};
  for (const c of TASK_CATEGORIES) {
    const mine = rows.filter((x) => x.task.category === c);
    if (mine.length > 0) byCategory[c] = figures(mine);
  }
  const facts = rows.filter((x) => x.task.category === "fact1" || x.task.category === "fact2");
  const finish: Record<string, number> = {};
  for (const { r } of rows) finish[r.finish] = (finish[r.finish] ?? 0) + 1;
  return {
    overall: figures(rows),
    byCategory,
    adaptive: {
      pythonOnCompute: byCategory.compute?.python ?? 0,
      searchOnFacts: figures(facts).search,
      nothingOnEasy: byCategory.easy?.noTool ?? 0,
    },
    responseTokens: mean(rows.map((x) => x.r.policyTokens)),
    finish,
  };
}

export type MeasureSettings = {
  format: RolloutFormat;
  maxTurns: number;
  maxResponseTokens: number;
  maxContextTokens: number;
  /** Rollouts per task (avg@k: accuracy is the mean over all k·n rollouts). */
  samples: number;
  sampling: SamplingParams;
};

/**
 * `samples` rollouts of every task (all decoding together, in waves of the generator's cache) with the
 * given tools, then the summary over all of them; rollout i·k + j is sample j of task i.
 */
export async function measureRollouts(
  deps: { generator: SequenceGenerator; tokenizer: QwenTokenizer; tools: ToolRunner },
  tasks: readonly BuiltinTask[],
  s: MeasureSettings,
): Promise<{ result: MeasureResult; rollouts: Rollout[] }> {
  const rollouts = await runRollouts(
    tasks.map((t) => t.question),
    deps,
    {
      format: s.format,
      groupSize: s.samples,
      maxTurns: s.maxTurns,
      maxResponseTokens: s.maxResponseTokens,
      toolResponseTokens: 2048,
      maxContextTokens: s.maxContextTokens,
      sampling: s.sampling,
    },
  );
  const repeated = tasks.flatMap((t) => Array.from({ length: s.samples }, () => t));
  return { result: summarise(repeated, rollouts, s.format), rollouts };
}
