// DAPO's soft overlong punishment (TAPO.md §3), on the count of the policy's own
// tokens (tool output and other forced text excluded).

/** Thrown for a length budget that makes no sense. */
export class OverlongConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OverlongConfigError";
  }
}

/**
 * The length penalty of a response with `policyTokens` = L sampled tokens, budget `maxTokens` =
 * L_max and soft buffer `cacheTokens` = L_cache: 0 when L ≤ L_max − L_cache; ((L_max − L_cache) − L)
 * / L_cache inside the buffer (so −1 at L = L_max); −1 beyond L_max. With L_cache = 0 it is a hard
 * cut: 0 up to L_max, −1 beyond. Throws OverlongConfigError when L_cache < 0, L_cache > L_max or a
 * count is not finite.
 */
export function overlongPenalty(policyTokens: number, maxTokens: number, cacheTokens: number): number {
  if (![policyTokens, maxTokens, cacheTokens].every(Number.isFinite) || policyTokens < 0) {
    throw new OverlongConfigError(`overlong shaping got L=${policyTokens}, L_max=${maxTokens}, L_cache=${cacheTokens}: all must be finite and L ≥ 0`);
  }
  if (cacheTokens < 0 || cacheTokens > maxTokens) {
    throw new OverlongConfigError(
      `the overlong buffer L_cache=${cacheTokens} must lie between 0 and the response budget L_max=${maxTokens}: lower it or raise the budget`,
    );
  }
  const soft = maxTokens - cacheTokens;
  if (policyTokens <= soft) return 0;
  if (policyTokens > maxTokens) return -1;
  return (soft - policyTokens) / cacheTokens;
}
