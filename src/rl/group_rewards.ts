// The rewards of one group of rollouts under a DAPO config: format,
// correctness, DAPO's overlong shaping on policy tokens, and, when the config
// turns it on, the OTC-style tool-efficiency factor, which needs the whole
// group first (the fewest tool calls among its correct rollouts).
import type { RolloutFormat } from "../protocol/format";
import type { Rollout } from "../rollout/rollout_state";
import { formatTagsOf } from "../rewards/format";
import { type RewardBreakdown, type RewardOptions, scoreRollout } from "../rewards/score";
import { fewestCorrectCalls } from "../rewards/tool_efficiency";
import type { Task } from "../protocol/tasks";
import type { DapoConfig } from "../protocol/dapo_config";

type RewardSettings = Pick<DapoConfig, "overlongShaping" | "maxResponseTokens" | "overlongBuffer" | "toolEfficiency">;

/** One reward per rollout of `group` (all answers to `task`), in order. */
export function groupRewards(task: Task, group: Rollout[], config: RewardSettings, format: RolloutFormat): RewardBreakdown[] {
  const base = (r: Rollout): RewardOptions => ({
    tags: formatTagsOf(format),
    ...(config.overlongShaping
      ? { overlong: { policyTokens: r.policyTokens, maxTokens: config.maxResponseTokens, cacheTokens: config.overlongBuffer } }
      : {}),
  });
  const kind = task.kind ?? "math";
  const plain = group.map((r) => scoreRollout(r.text, task.answers, kind, base(r)));
  if (!config.toolEfficiency) return plain;
  // Tool calls the loop actually ran (a call in the tools-off last turn never ran, so it is not counted).
  const fewest = fewestCorrectCalls(plain.map((p, i) => ({ correct: p.correct, calls: group[i]!.toolCalls.length })));
  return group.map((r) =>
    scoreRollout(r.text, task.answers, kind, { ...base(r), toolEfficiency: { calls: r.toolCalls.length, fewestCorrectCalls: fewest } }),
  );
}
