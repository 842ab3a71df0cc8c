// The bundled world: the seed and sizes that public/corpus/tapo-world.jsonl
// is generated from (`npm run build:corpus`), and where the app serves it.
// The corpus holds the full world's documents, then the tiny world's
// (tiny_world.ts: the tiny level's fact questions ask about it).

import { DEFAULT_WORLD_SIZES, generateWorld } from "./generate.ts";
import { corpusToJsonl, renderCorpus } from "./render.ts";
import { generateTinyWorld, renderTinyCorpus, TINY_WORLD_SEED, type TinyWorld } from "./tiny_world.ts";
import type { World } from "./types.ts";

/** Seed of the bundled world. Changing it (or the generator) means re-running `npm run build:corpus`. */
export const BUNDLED_WORLD_SEED = 20251008;

/** Path of the bundled corpus, relative to the repository root. */
export const BUNDLED_CORPUS_FILE = "public/corpus/tapo-world.jsonl";

/** Path of the bundled corpus relative to the app's base URL. */
export const BUNDLED_CORPUS_URL_PATH = "corpus/tapo-world.jsonl";

/** The world the bundled corpus describes (question generators ask about it). */
export function bundledWorld(): World {
  return generateWorld(BUNDLED_WORLD_SEED, DEFAULT_WORLD_SIZES);
}

let tiny: TinyWorld | undefined;
let fullWords: Set<string> | undefined;

/** Every word (lower case) of the full world's documents: tiny worlds leave them out of their names. */
export function bundledWorldWords(): ReadonlySet<string> {
  if (fullWords) return fullWords;
  fullWords = new Set<string>();
  for (const d of renderCorpus(bundledWorld())) for (const w of `${d.title} ${d.text}`.toLowerCase().match(/\p{L}+/gu) ?? []) fullWords.add(w);
  return fullWords;
}

/** The tiny world of the bundled corpus; its names avoid every word of the full world's documents. */
export function bundledTinyWorld(): TinyWorld {
  return (tiny ??= generateTinyWorld(TINY_WORLD_SEED, bundledWorldWords()));
}

/** The exact text of public/corpus/tapo-world.jsonl. */
export function bundledCorpusJsonl(): string {
  return corpusToJsonl([...renderCorpus(bundledWorld()), ...renderTinyCorpus(bundledTinyWorld())]);
}
