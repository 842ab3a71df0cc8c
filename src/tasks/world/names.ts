// Invented names for the fictional world, built from syllable tables. A
// NameRegistry hands out words that are unique (case-insensitively) across the
// whole world and never equal a word the document templates use, so searching
// an entity's name finds that entity and nothing else by accident.

import tables from "./world_tables.json";

/** Thrown when the syllable tables cannot supply another unused word (the world asked for too many names). */
export class NameSpaceExhaustedError extends Error {
  constructor(tries: number) {
    super(`no unused invented name after ${tries} tries: lower the world sizes or extend the syllable tables in world_tables.json`);
    this.name = "NameSpaceExhaustedError";
  }
}

const MIN_LETTERS = 5;
const MAX_LETTERS = 11;
const MAX_TRIES = 10_000;

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty table");
  return item;
}

/** One invented word of 2–3 syllables, capitalised, e.g. "Thornavel". */
export function inventWord(rand: () => number): string {
  const { onsets, vowels, codas } = tables.syllables;
  const count = rand() < 0.6 ? 2 : 3;
  let word = "";
  for (let i = 0; i < count; i++) {
    // Only the last syllable may close with a coda, so words stay pronounceable.
    word += pick(rand, onsets) + pick(rand, vowels) + (i === count - 1 ? pick(rand, codas) : "");
  }
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Hands out unique invented words; every word it returns is reserved for good. */
export class NameRegistry {
  private readonly used = new Set<string>();

  constructor(private readonly rand: () => number) {
    for (const w of tables.templateWords) this.used.add(w.toLowerCase());
  }

  /** True when `word` is already taken (or is a template word). */
  has(word: string): boolean {
    return this.used.has(word.toLowerCase());
  }

  /** A fresh word of 5–11 letters, never handed out before. */
  next(): string {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const word = inventWord(this.rand);
      if (word.length < MIN_LETTERS || word.length > MAX_LETTERS) continue;
      if (this.has(word)) continue;
      this.used.add(word.toLowerCase());
      return word;
    }
    throw new NameSpaceExhaustedError(MAX_TRIES);
  }
}
