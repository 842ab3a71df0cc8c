// Train/test assignment for built-in tasks, fixed by a hash so it does not
// depend on the generator's seed: a question (or an entity of the fictional
// world) is in the test split iff its hash falls in the test fifth. Two runs
// with different seeds therefore never put the same item in both splits.

import type { TaskSplit } from "../protocol/tasks.ts";

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/**
 * 64-bit FNV-1a of a string's UTF-16 code units followed by MurmurHash3's
 * 64-bit finaliser (FNV alone leaves the low bits of similar keys such as
 * "person-0001" and "person-0002" too alike to split on), as 16 hex digits.
 */
export function hash64Hex(text: string): string {
  let h = FNV64_OFFSET;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * FNV64_PRIME) & MASK64;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK64;
  h ^= h >> 33n;
  return h.toString(16).padStart(16, "0");
}

/** One test item in TEST_ONE_IN (20 %). */
export const TEST_ONE_IN = 5;

/** The split a key belongs to: test iff the low 32 bits of its hash are divisible by TEST_ONE_IN. */
export function splitOfKey(key: string): TaskSplit {
  const low = Number.parseInt(hash64Hex(key).slice(8), 16);
  return low % TEST_ONE_IN === 0 ? "test" : "train";
}

/** Split of a computation or easy question: by its text. */
export function splitOfQuestion(question: string): TaskSplit {
  return splitOfKey(`question:${question}`);
}

/** Split of a world entity: fact and mixed questions go where every entity they name goes. */
export function splitOfEntity(entityId: string): TaskSplit {
  return splitOfKey(`entity:${entityId}`);
}
