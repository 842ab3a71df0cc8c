// The order SFT visits its examples in: seeded epochs of batches whose
// sequences have similar lengths (the runtime pads a batch to its longest
// sequence), yet mixed in content. Each epoch shuffles the examples, sorts
// each window of `window` batches' worth by length, cuts the window into
// batches, and shuffles the batches.
import { mulberry32 } from "../util/random";

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One epoch's batches of example indices (the last batch may be smaller). */
export function epochBatches(lengths: readonly number[], batch: number, seed: number, window = 8): number[][] {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch size must be a whole number ≥ 1, got ${batch}`);
  const rand = mulberry32(seed);
  const order = shuffle(lengths.map((_, i) => i), rand);
  const out: number[][] = [];
  const span = batch * Math.max(1, window);
  for (let w = 0; w < order.length; w += span) {
    const part = order.slice(w, w + span).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    for (let b = 0; b < part.length; b += batch) out.push(part.slice(b, b + batch));
  }
  return shuffle(out, rand);
}

/** The batches of `steps` optimizer steps, epoch after epoch (epoch e shuffled with seed + e). */
export function stepBatches(lengths: readonly number[], batch: number, steps: number, seed: number, window = 8): number[][] {
  if (lengths.length === 0) throw new RangeError("no examples to batch");
  const out: number[][] = [];
  for (let epoch = 0; out.length < steps; epoch++) out.push(...epochBatches(lengths, batch, (seed + epoch) >>> 0, window));
  return out.slice(0, steps);
}
