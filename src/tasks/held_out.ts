// Holding out a test split from imported tasks, deterministically: the tasks
// are ranked by a hash of their id and question, and the lowest-ranked share
// becomes the test split. The same tasks and share always give the same split,
// whatever order the rows came in; within each split the rows keep their order.
import { hash64Hex } from "./split";
import type { Task } from "../protocol/tasks";

/** Largest test share the page offers (at least half the tasks stay for training). */
export const MAX_TEST_SHARE = 0.5;

/** How many of `n` tasks a share of `share` holds out: rounded, at least 1 when share > 0, and never all of them. */
export function testCountFor(n: number, share: number): number {
  if (!Number.isFinite(share) || share < 0 || share > MAX_TEST_SHARE) {
    throw new RangeError(`the test share must be between 0 and ${MAX_TEST_SHARE}, got ${share}`);
  }
  if (n < 2 || share === 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * share)));
}

/**
 * Splits tasks into train and test.
 * @param share fraction in [0, MAX_TEST_SHARE] to hold out as the test split.
 * @throws RangeError for a share outside that range.
 */
export function holdOutTestShare(tasks: readonly Task[], share: number): { train: Task[]; test: Task[] } {
  const nTest = testCountFor(tasks.length, share);
  const ranked = tasks.map((t, i) => ({ i, key: hash64Hex(`${t.id}\u0000${t.question}`) }));
  ranked.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const inTest = new Set(ranked.slice(0, nTest).map((r) => r.i));
  const train: Task[] = [];
  const test: Task[] = [];
  tasks.forEach((t, i) => (inTest.has(i) ? test : train).push(t));
  return { train, test };
}
