// Group-normalised advantages (GRPO/DAPO): each response's reward compared with
// the others of its prompt's group, then broadcast to its policy tokens only.
//
// The spread is the sample standard deviation (divisor G − 1), as torch.std
// computes it by default in the verl-based reference trainers, so advantages
// match theirs number for number; the population std (divisor G) would make
// them larger by sqrt(G/(G − 1)), 1.07 at G = 8 but 1.41 at G = 2.

/** A group too small to compare its responses. */
export class GroupSizeError extends Error {
  constructor(size: number) {
    super(`a group has ${size} response(s); advantages need at least 2 per prompt: raise the group size G`);
    this.name = "GroupSizeError";
  }
}

/**
 * (R_i − mean(R)) / (std(R) + eps) for a group's rewards: (G) → (G), std the
 * sample std. A group whose rewards are all equal gets exactly 0 everywhere.
 */
export function groupAdvantages(rewards: readonly number[], eps = 1e-6): Float64Array {
  const n = rewards.length;
  if (n < 2) throw new GroupSizeError(n);
  const out = new Float64Array(n);
  const first = rewards[0] as number;
  if (rewards.every((r) => r === first)) return out;
  let mean = 0;
  for (const r of rewards) mean += r;
  mean /= n;
  let ss = 0;
  for (const r of rewards) ss += (r - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  for (let i = 0; i < n; i++) out[i] = ((rewards[i] as number) - mean) / (std + eps);
  return out;
}

/** The advantage on each predicted token: `advantage` where policy[t] is 1, else 0. (T) → (T). */
export function tokenAdvantages(advantage: number, policy: Uint8Array): Float32Array {
  const out = new Float32Array(policy.length);
  for (let t = 0; t < policy.length; t++) if (policy[t]) out[t] = advantage;
  return out;
}
