// The DAPO loss over one mini-batch (or one micro-batch of it), its gradient
// with respect to each token's log-prob (the weights the GPU runtime
// backpropagates), and the step's loss metrics.
//
// Per policy token, with r = exp(logp − logp_old) and A the rollout's advantage:
//   ℓ = max(−A·r, −A·clip(r, 1 − ε_low, 1 + ε_high))      (clip-higher)
//   ℓ = min(ℓ, −A·c)                 when A < 0          (dual clip)
//   loss = Σ ℓ / N,  N = policy tokens in the mini-batch (token-level, not per sequence)
//        + λ · Σ max(0, logp_old − logp) / N₊   (LLDS, when on; N₊ = policy tokens with A ≥ 0)
// ∂ℓ/∂logp is −A·r on the unclipped branch and 0 where a clip is active.
//
// Where this departs from the papers (DAPO arXiv 2503.14476, TAPO arXiv 2510.07038):
// 1. Forced tokens (prompt, tool output, corrective messages) are out of the
//    numerator and the denominator. TAPO's reference code counts them in the
//    denominator by accident, which shrinks the step of tool-heavy batches.
// 2. Gradient accumulation divides every micro-batch by the whole mini-batch's
//    policy-token count (`norm`), so the summed gradients are exactly the
//    token-level mean of the mini-batch. verl's actor, which the references
//    build on, has (in the versions we know) taken a token mean per
//    micro-batch and divided by the number of micro-batches, which gives
//    tokens of short micro-batches more weight.
// 3. Rollouts dropped by SimpleTIR's void-turn filter or by truncation masking
//    leave both numerator and denominator, as if never sampled; the advantages
//    of the rest of their group stay as computed with them.
// 4. LLDS is the token-level form of TAPO.md §5, averaged over the policy tokens
//    of non-negative advantage. The LLDS paper (arXiv 2512.04220) also gates it
//    on the whole response's likelihood having fallen; that gate is not applied.
// 5. No clamp on the log-ratio (verl clamps it to ±20 before exp): the ratio is computed
//    in float64 and a non-finite log-prob of a counted token is an error, not a
//    silent NaN in the adapter.
import type { DapoConfig } from "../protocol/dapo_config";
import { type DapoLossBatch, type DapoLossSettings, isDropped, lossNorm } from "./loss_batch";

/** The loss and the metrics of one (micro-)batch. Fractions and means are over this batch's own counted tokens. */
export type DapoLossResult = {
  /** policyLoss + lldsLoss: what the weights are the gradient of. */
  loss: number;
  policyLoss: number;
  lldsLoss: number;
  /** Tokens whose gradient a clip zeroed (high, low or dual), over counted tokens. */
  clipFraction: number;
  /** A > 0 and r > 1 + ε_high. */
  clipHighFraction: number;
  /** A < 0 and r < 1 − ε_low. */
  clipLowFraction: number;
  /** A < 0 and −A·r above the dual-clip cap −A·c. */
  dualClipFraction: number;
  /** Mean of r over counted tokens (1 on the first mini-batch of a batch). */
  meanRatio: number;
  /** Policy tokens in this batch's loss (dropped rollouts excluded). */
  policyTokens: number;
  /** Rollouts the loss dropped (SimpleTIR, truncation masking). */
  droppedRollouts: number;
};

/** A batch the loss cannot use: mismatched lengths or a non-finite log-prob. */
export class LossBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LossBatchError";
  }
}

/** The loss's settings out of the run's config. */
export function lossSettings(config: DapoConfig): DapoLossSettings {
  const { clipLow, clipHigh, dualClip, simpleTir, truncationMasking, llds, lldsLambda } = config;
  return { clipLow, clipHigh, dualClip, simpleTir, truncationMasking, llds, lldsLambda };
}

/** Which branch of the clipped objective is active for one token. */
type Branch = "unclipped" | "high" | "low" | "dual";

/** The per-token objective ℓ and its active branch. */
function tokenObjective(a: number, r: number, s: DapoLossSettings): { value: number; branch: Branch } {
  const lo = 1 - s.clipLow;
  const hi = 1 + s.clipHigh;
  const unclipped = -a * r;
  const clipped = -a * Math.min(hi, Math.max(lo, r));
  if (clipped > unclipped) return { value: clipped, branch: r > hi ? "high" : "low" };
  if (a < 0 && unclipped > -a * s.dualClip) return { value: -a * s.dualClip, branch: "dual" };
  return { value: unclipped, branch: "unclipped" };
}

function checkShapes(batch: DapoLossBatch): void {
  batch.rollouts.forEach((r, i) => {
    const n = r.policy.length;
    if (r.logp.length !== n || r.logpOld.length !== n) {
      throw new LossBatchError(
        `rollout ${i}: policy mask has ${n} positions but logp has ${r.logp.length} and logpOld ${r.logpOld.length}; all three must be one value per predicted token (tokens − 1)`,
      );
    }
    if (!Number.isFinite(r.advantage)) throw new LossBatchError(`rollout ${i}: advantage is ${r.advantage}; check the group's rewards`);
  });
}

/** Computes the loss and metrics, and writes ∂loss/∂logp into `weights` when given. */
function evaluate(batch: DapoLossBatch, weights?: Float32Array[]): DapoLossResult {
  checkShapes(batch);
  const s = batch.settings;
  const own = lossNorm(batch.rollouts, s);
  const norm = batch.norm ?? own;
  const counts = { high: 0, low: 0, dual: 0, unclipped: 0 };
  let policySum = 0;
  let lldsSum = 0;
  let ratioSum = 0;
  let dropped = 0;
  batch.rollouts.forEach((rollout, i) => {
    const w = weights?.[i];
    if (isDropped(rollout, s)) {
      dropped += 1;
      return;
    }
    const a = rollout.advantage;
    const useLlds = s.llds && a >= 0 && norm.nonNegativeTokens > 0;
    for (let t = 0; t < rollout.policy.length; t++) {
      if (!rollout.policy[t]) continue;
      const logp = rollout.logp[t] as number;
      const logpOld = rollout.logpOld[t] as number;
      if (!Number.isFinite(logp) || !Number.isFinite(logpOld)) {
        throw new LossBatchError(`rollout ${i}, position ${t}: a policy token has logp ${logp} and logpOld ${logpOld}; the forward pass produced a non-finite log-prob`);
      }
      const r = Math.exp(logp - logpOld);
      ratioSum += r;
      const { value, branch } = tokenObjective(a, r, s);
      counts[branch] += 1;
      policySum += value;
      let grad = branch === "unclipped" ? (-a * r) / norm.policyTokens : 0;
      if (useLlds && logpOld > logp) {
        lldsSum += logpOld - logp;
        grad -= s.lldsLambda / norm.nonNegativeTokens;
      }
      if (w) w[t] = grad;
    }
  });
  const n = own.policyTokens;
  const frac = (k: number) => (n === 0 ? 0 : k / n);
  const policyLoss = norm.policyTokens === 0 ? 0 : policySum / norm.policyTokens;
  const lldsLoss = s.llds && norm.nonNegativeTokens > 0 ? (s.lldsLambda * lldsSum) / norm.nonNegativeTokens : 0;
  return {
    loss: policyLoss + lldsLoss,
    policyLoss,
    lldsLoss,
    clipFraction: frac(counts.high + counts.low + counts.dual),
    clipHighFraction: frac(counts.high),
    clipLowFraction: frac(counts.low),
    dualClipFraction: frac(counts.dual),
    meanRatio: n === 0 ? 1 : ratioSum / n,
    policyTokens: n,
    droppedRollouts: dropped,
  };
}

/** The DAPO loss of a (micro-)batch and its metrics. */
export function dapoLoss(batch: DapoLossBatch): DapoLossResult {
  return evaluate(batch);
}

/**
 * ∂loss/∂logp for every predicted token: per rollout a (T) array, 0 at prompt
 * and forced tokens, at clipped tokens and in dropped rollouts. These are the
 * `wlogp` the runtime's accumulateGradients backpropagates.
 */
export function dapoTokenWeights(batch: DapoLossBatch): Float32Array[] {
  const weights = batch.rollouts.map((r) => new Float32Array(r.policy.length));
  evaluate(batch, weights);
  return weights;
}

/** Loss, metrics and weights in one pass (what the training loop calls). */
export function dapoLossAndWeights(batch: DapoLossBatch): { result: DapoLossResult; weights: Float32Array[] } {
  const weights = batch.rollouts.map((r) => new Float32Array(r.policy.length));
  return { result: evaluate(batch, weights), weights };
}
