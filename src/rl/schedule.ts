// The learning rate per optimizer step: linear warm-up to the peak, then
// constant (DAPO's reference; the default) or a cosine decay to a floor.

export type LrSchedule = {
  peak: number;
  warmupSteps: number;
  kind: "constant" | "cosine";
  /** Cosine only: optimizer steps in the whole run. */
  totalSteps?: number;
  /** Cosine only: the rate at the last step, as a fraction of the peak. */
  minRatio?: number;
};

/**
 * The rate for 0-based optimizer step `step`. Warm-up gives peak·(step + 1)/warmupSteps,
 * so step 0 already moves (a rate of 0 would waste a batch) and step warmupSteps − 1
 * reaches the peak. Cosine then falls from the peak to peak·minRatio at step totalSteps − 1.
 */
export function learningRate(step: number, s: LrSchedule): number {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`learningRate: step ${step} is not a whole number ≥ 0`);
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  if (s.kind === "constant") return s.peak;
  const total = s.totalSteps;
  if (total === undefined || !Number.isInteger(total) || total < 1) {
    throw new RangeError(`learningRate: a cosine schedule needs totalSteps (a whole number ≥ 1), got ${total}`);
  }
  const floor = s.peak * (s.minRatio ?? 0);
  const span = total - 1 - s.warmupSteps;
  if (span <= 0) return s.peak;
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return floor + (s.peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
