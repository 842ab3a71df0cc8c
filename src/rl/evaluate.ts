// Evaluation on held-out tasks: one rollout per task with both tools, greedy
// (temperature 0), or k per task sampled at the training temperature (avg@k,
// steadier than one greedy answer for a small model), scored like
// training (format and correctness; no overlong shaping). Reports accuracy,
// tool calls and response length, and for built-in tasks the same per
// category with the share of rollouts that called search, Python, or nothing,
// so adaptive tool use shows up as numbers.
import type { SequenceGenerator } from "../generate/types";
import { formatTagsOf } from "../rewards/format";
import { scoreRollout } from "../rewards/score";
import type { RolloutEventSink } from "../protocol/rollout_events";
import type { RolloutFormat } from "../protocol/format";
import { runRollouts } from "../rollout/rollout";
import type { Rollout } from "../rollout/rollout_state";
import type { RewardBreakdown } from "../rewards/score";
import type { Task } from "../protocol/tasks";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolRunner } from "../protocol/tools";
import type { EvalMetrics } from "../protocol/run";
import type { DapoConfig } from "../protocol/dapo_config";

export type EvalDeps = {
  generator: SequenceGenerator;
  tokenizer: QwenTokenizer;
  tools: ToolRunner;
  format: RolloutFormat;
  maxContextTokens?: number;
  onRolloutEvent?: RolloutEventSink;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
};

export type EvalOptions = {
  mode: "greedy" | "sampled";
  /** Sampled mode: rollouts per task (avg@k: accuracy and shares are means over all k·n rollouts); default 1. */
  samples?: number;
  /** The adapter's step, recorded in the result. */
  step: number;
  seed: number;
  config: Pick<DapoConfig, "maxTurns" | "toolResponseTokens" | "maxResponseTokens" | "temperature" | "topP">;
};

export type EvalResult = { eval: EvalMetrics; rollouts: Rollout[]; rewards: RewardBreakdown[] };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const share = (rs: Rollout[], test: (r: Rollout) => boolean) => mean(rs.map((r) => (test(r) ? 1 : 0)));
const calls = (r: Rollout, tool: "search" | "python") => r.toolCalls.filter((c) => c.tool === tool).length;

export async function evaluate(deps: EvalDeps, heldOut: Task[], opts: EvalOptions): Promise<EvalResult> {
  if (heldOut.length === 0) throw new Error("evaluation needs at least one held-out task");
  const t0 = performance.now();
  let done = 0;
  const k = opts.mode === "sampled" ? Math.max(1, Math.floor(opts.samples ?? 1)) : 1;
  const rollouts = await runRollouts(
    heldOut.map((t) => t.question),
    deps,
    {
      format: deps.format,
      groupSize: k,
      maxTurns: opts.config.maxTurns,
      maxResponseTokens: opts.config.maxResponseTokens,
      toolResponseTokens: opts.config.toolResponseTokens,
      sampling:
        opts.mode === "greedy"
          ? { temperature: 0, topP: 1, topK: 0, seed: opts.seed }
          : { temperature: opts.config.temperature, topP: opts.config.topP, topK: 0, seed: opts.seed },
      ...(deps.maxContextTokens ? { maxContextTokens: deps.maxContextTokens } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
    (e) => {
      if (e.type === "finish") deps.onProgress?.(++done, heldOut.length * k);
      deps.onRolloutEvent?.(e);
    },
  );
  // Rollout i·k + j is sample j of task i: tasks[r] is rollout r's task.
  const tasks = heldOut.flatMap((t) => Array.from({ length: k }, () => t));
  const tags = formatTagsOf(deps.format);
  const rewards = rollouts.map((r, i) => scoreRollout(r.text, tasks[i]!.answers, tasks[i]!.kind ?? "math", { tags }));
  const metrics: EvalMetrics = {
    step: opts.step,
    mode: opts.mode,
    n: heldOut.length,
    ...(k > 1 ? { samples: k } : {}),
    acc: mean(rewards.map((r) => (r.correct ? 1 : 0))),
    reward: mean(rewards.map((r) => r.total)),
    tool_calls: mean(rollouts.map((r) => r.toolCalls.length)),
    tool_calls_search: mean(rollouts.map((r) => calls(r, "search"))),
    tool_calls_code: mean(rollouts.map((r) => calls(r, "python"))),
    response_tokens: mean(rollouts.map((r) => r.policyTokens)),
    seconds: (performance.now() - t0) / 1000,
  };
  const categories = [...new Set(tasks.map((t) => t.category).filter((c) => c !== undefined))];
  if (categories.length > 0) {
    metrics.byCategory = {};
    for (const c of categories) {
      const idx = tasks.flatMap((t, i) => (t.category === c ? [i] : []));
      const rs = idx.map((i) => rollouts[i]!);
      metrics.byCategory[c] = {
        n: idx.length,
        acc: mean(idx.map((i) => (rewards[i]!.correct ? 1 : 0))),
        usedSearch: share(rs, (r) => calls(r, "search") > 0),
        usedCode: share(rs, (r) => calls(r, "python") > 0),
        usedNone: share(rs, (r) => r.toolCalls.length === 0),
      };
    }
  }
  return { eval: metrics, rollouts, rewards };
}
