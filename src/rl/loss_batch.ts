// What the DAPO loss reads: per rollout, per predicted token, whether the
// token was sampled by the policy, its log-probs under π_old and π_θ, and the
// rollout's advantage and drop flags. Positions follow the runtime's PerToken
// layout: index t is about token t + 1 given tokens 0..t.
import type { TokenOrigin } from "../rollout/rollout_state";

/** One rollout's part of a loss batch; all arrays have the same length T = tokens − 1. */
export type LossRollout = {
  /** 1 where the predicted token is a policy token, 0 for prompt and forced tokens (T). */
  policy: Uint8Array;
  /** log π_old per predicted token, from the training forward before the update (T). */
  logpOld: Float32Array;
  /** log π_θ per predicted token, from the current forward (T). */
  logp: Float32Array;
  /** The rollout's group-normalised advantage. */
  advantage: number;
  /** Cut at L_max (truncation masking drops it when switched on). */
  truncated?: boolean;
  /** Has a turn with neither a tool call nor an answer (SimpleTIR drops it when switched on). */
  voidTurn?: boolean;
};

/** The loss's hyperparameters (a subset of DapoConfig). */
export type DapoLossSettings = {
  clipLow: number;
  clipHigh: number;
  dualClip: number;
  simpleTir: boolean;
  truncationMasking: boolean;
  llds: boolean;
  lldsLambda: number;
};

/** The denominators of the token means: policy tokens in the loss, and those of them with advantage ≥ 0 (for LLDS). */
export type LossNorm = { policyTokens: number; nonNegativeTokens: number };

/** A mini-batch, or one micro-batch of it with `norm` counted over the whole mini-batch. */
export type DapoLossBatch = {
  rollouts: LossRollout[];
  settings: DapoLossSettings;
  /** Denominators to divide by instead of this batch's own counts (gradient accumulation over micro-batches). */
  norm?: LossNorm;
};

/** The policy mask in PerToken layout from a rollout's token origins: (N) → (N − 1). */
export function predictedPolicyMask(origins: readonly TokenOrigin[]): Uint8Array {
  const out = new Uint8Array(Math.max(0, origins.length - 1));
  for (let t = 0; t < out.length; t++) out[t] = origins[t + 1] === "policy" ? 1 : 0;
  return out;
}

/** True when the loss drops the whole rollout (SimpleTIR void turn, truncation masking). */
export function isDropped(r: LossRollout, s: DapoLossSettings): boolean {
  return (s.simpleTir && r.voidTurn === true) || (s.truncationMasking && r.truncated === true);
}

/** This batch's own denominators: policy tokens of rollouts not dropped, and those with advantage ≥ 0. */
export function lossNorm(rollouts: readonly LossRollout[], s: DapoLossSettings): LossNorm {
  let policyTokens = 0;
  let nonNegativeTokens = 0;
  for (const r of rollouts) {
    if (isDropped(r, s)) continue;
    let n = 0;
    for (let t = 0; t < r.policy.length; t++) n += r.policy[t] ? 1 : 0;
    policyTokens += n;
    if (r.advantage >= 0) nonNegativeTokens += n;
  }
  return { policyTokens, nonNegativeTokens };
}
