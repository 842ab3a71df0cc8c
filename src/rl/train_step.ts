// One DAPO step, top to bottom: rollout (with dynamic sampling) → reward →
// group advantages → π_old by the training forward → for each mini-batch:
// current log-probs, per-token loss weights, backward, AdamW → metrics.
// The detail lives in the files it calls; this one should read in one screen.
import type { StepMetrics } from "../protocol/run";
import type { SequenceGenerator } from "../generate/types";
import type { RolloutEventSink } from "../protocol/rollout_events";
import type { AdamWOptimizer } from "../model/optimizer";
import type { ModelRuntime } from "../model/runtime";
import { getFormat } from "../rollout/formats";
import { type RolloutFormat } from "../protocol/format";
import { runRollouts } from "../rollout/rollout";
import type { Rollout } from "../rollout/rollout_state";
import type { RewardBreakdown } from "../rewards/score";
import type { Task } from "../protocol/tasks";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import { TimedToolRunner } from "../tools/timed_runner";
import type { ToolRunner } from "../protocol/tools";
import { groupAdvantages } from "./advantages";
import type { DapoConfig } from "../protocol/dapo_config";
import { sampleDynamically } from "./dynamic_sampling";
import { groupRewards } from "./group_rewards";
import { dapoLossAndWeights, lossSettings } from "./loss";
import { type LossRollout, lossNorm, predictedPolicyMask } from "./loss_batch";
import { learningRate } from "./schedule";

export type StepDeps = {
  /** The rollout format (default TAPO's preset). */
  format?: RolloutFormat;
  runtime: ModelRuntime;
  generator: SequenceGenerator;
  tokenizer: QwenTokenizer;
  tools: ToolRunner;
  optimizer: AdamWOptimizer;
  /** Whole-sequence limit (the generator's cache length). */
  maxContextTokens?: number;
  /** Receives the rollouts' events as they happen (question indices count across regeneration rounds). */
  onRolloutEvent?: RolloutEventSink;
  /** Progress: rollouts finished while generating, mini-batches done while updating. */
  onProgress?: (phase: "generate" | "update", done: number, total: number) => void;
  /** Cancels the step's rollouts (runRollouts rejects with RolloutAbortedError; nothing is updated). */
  signal?: AbortSignal;
};

type Group = { task: Task; rollouts: Rollout[]; rewards: RewardBreakdown[]; acc: boolean[] };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Appends to `out` the entropy at every policy position: masks (B)(T), entropy (B)(T). */
function pushPolicyEntropies(out: number[], masks: readonly Uint8Array[], entropy: readonly Float32Array[]): void {
  masks.forEach((mask, b) => {
    for (let t = 0; t < mask.length; t++) if (mask[t]) out.push(entropy[b]![t]!);
  });
}

/** Runs one DAPO step on `tasks` (one group per task, up to config.promptsPerBatch). */
export async function dapoStep(deps: StepDeps, tasks: Task[], config: DapoConfig, step: number, seed: number): Promise<{ metrics: StepMetrics; groups: Group[] }> {
  const t0 = performance.now();
  const format = deps.format ?? getFormat("tapo");
  const tools = new TimedToolRunner(deps.tools);
  const target = Math.min(config.promptsPerBatch, tasks.length);
  let next = 0;
  let finished = 0;
  /** Policy tokens sampled over every regeneration round (dropped groups included). */
  let generatedTokens = 0;
  // 1. Rollouts, regenerated until enough groups are informative (all-right or all-wrong groups teach nothing).
  const sampled = await sampleDynamically<Group>(
    async (round, needed) => {
      const first = next;
      const batch = Array.from({ length: needed }, () => tasks[next++ % tasks.length]!);
      const total = finished + needed * config.groupSize;
      const rollouts = await runRollouts(
        batch.map((t) => t.question),
        { ...deps, tools },
        {
          format,
          groupSize: config.groupSize,
          maxTurns: config.maxTurns,
          maxResponseTokens: config.maxResponseTokens,
          toolResponseTokens: config.toolResponseTokens,
          sampling: { temperature: config.temperature, topP: config.topP, topK: 0, seed: (Math.imul(seed, 1000003) + round * 7919) >>> 0 },
          ...(deps.maxContextTokens ? { maxContextTokens: deps.maxContextTokens } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
        },
        (e) => {
          if (e.type === "finish") {
            generatedTokens += e.policyTokens;
            deps.onProgress?.("generate", ++finished, total);
          }
          deps.onRolloutEvent?.({ ...e, questionIndex: e.questionIndex + first });
        },
      );
      // 2. Rewards: format, correctness, overlong shaping on policy tokens, optional tool efficiency.
      return batch.map((task, q) => {
        const group = rollouts.slice(q * config.groupSize, (q + 1) * config.groupSize);
        const rewards = groupRewards(task, group, config, format);
        return { task, rollouts: group, rewards, acc: rewards.map((r) => r.correct) };
      });
    },
    { targetGroups: target, maxRounds: config.maxRegenerationRounds },
  );
  const tGen = performance.now();
  // 3. Group-normalised advantages, one per rollout.
  const rollouts = sampled.groups.flatMap((g) => g.rollouts);
  const advantages = sampled.groups.flatMap((g) => Array.from(groupAdvantages(g.rewards.map((r) => r.total), config.advantageEps)));
  const seqs = rollouts.map((r) => r.tokens);
  const per = Math.ceil(rollouts.length / config.miniBatches);
  const miniBatches = Math.ceil(rollouts.length / per);
  // The update phase starts now (π_old's forward comes first), so progress leaves "generate" at once.
  deps.onProgress?.("update", 0, miniBatches);
  // 4. π_old by the training forward (sampling kernels differ numerically).
  const old = await deps.runtime.logprobs(seqs);
  // No group told right from wrong (every advantage 0) and no LLDS term: the loss is 0, skip the update.
  const nothingToLearn = !config.llds && advantages.every((a) => a === 0);
  if (nothingToLearn) deps.onProgress?.("update", miniBatches, miniBatches);
  // 5. Mini-batches: current log-probs, dL/dlogp on the CPU, backward on the GPU, AdamW.
  const settings = lossSettings(config);
  const clipFracs: number[] = [];
  const entropies: number[] = [];
  if (nothingToLearn) pushPolicyEntropies(entropies, rollouts.map((r) => predictedPolicyMask(r.origins)), old.entropy);
  for (let mb = 0; !nothingToLearn && mb * per < rollouts.length; mb++) {
    const idx = Array.from({ length: Math.min(per, rollouts.length - mb * per) }, (_, i) => mb * per + i);
    const mbSeqs = idx.map((i) => seqs[i]!);
    // The first mini-batch sees the weights π_old was computed with: its current log-probs are π_old's.
    const now = mb === 0 ? { logp: idx.map((i) => old.logp[i]!), entropy: idx.map((i) => old.entropy[i]!) } : await deps.runtime.logprobs(mbSeqs);
    const batch: LossRollout[] = idx.map((i, k) => ({
      policy: predictedPolicyMask(rollouts[i]!.origins),
      logpOld: old.logp[i]!,
      logp: now.logp[k]!,
      advantage: advantages[i]!,
      truncated: rollouts[i]!.finish === "length",
    }));
    const { result, weights } = dapoLossAndWeights({ rollouts: batch, settings, norm: lossNorm(batch, settings) });
    clipFracs.push(result.clipFraction);
    pushPolicyEntropies(entropies, batch.map((r) => r.policy), now.entropy);
    deps.runtime.zeroGrads();
    await deps.runtime.accumulateGradients(mbSeqs, weights);
    const lr = learningRate(deps.optimizer.steps, { peak: config.learningRate, warmupSteps: config.warmupSteps, kind: config.lrSchedule, minRatio: config.minLrRatio });
    deps.optimizer.step({ lr, beta1: config.beta1, beta2: config.beta2, eps: config.adamEps, weightDecay: config.weightDecay, maxNorm: config.gradClip });
    deps.onProgress?.("update", mb + 1, miniBatches);
  }
  const tEnd = performance.now();
  const toolMs = Math.min(tools.read().ms, tGen - t0);
  // 6. Metrics.
  const rewards = sampled.groups.flatMap((g) => g.rewards);
  return {
    groups: sampled.groups,
    metrics: {
      step,
      reward: mean(rewards.map((r) => r.total)),
      acc: mean(rewards.map((r) => (r.correct ? 1 : 0))),
      tool_calls: mean(rollouts.map((r) => r.toolCalls.length)),
      tool_calls_search: mean(rollouts.map((r) => r.toolCalls.filter((c) => c.tool === "search").length)),
      tool_calls_code: mean(rollouts.map((r) => r.toolCalls.filter((c) => c.tool === "python").length)),
      response_tokens: mean(rollouts.map((r) => r.policyTokens)),
      entropy: mean(entropies),
      clip_frac: mean(clipFracs),
      kept_groups: sampled.keptRatio,
      seconds: (tEnd - t0) / 1000,
      seconds_generate: (tGen - t0 - toolMs) / 1000,
      seconds_tools: toolMs / 1000,
      seconds_update: (tEnd - tGen) / 1000,
      tokens_generated: generatedTokens,
      tokens_trained: rollouts.reduce((n, r) => n + r.policyTokens, 0),
    },
  };
}
