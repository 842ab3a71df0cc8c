// The bundled world: the seed and sizes that public/corpus/tapo-world.jsonl
// is generated from (`npm run build:corpus`), and where the app serves it.

import { DEFAULT_WORLD_SIZES, generateWorld } from "./generate.ts";
import { corpusToJsonl, renderCorpus } from "./render.ts";
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

/** The exact text of public/corpus/tapo-world.jsonl. */
export function bundledCorpusJsonl(): string {
  return corpusToJsonl(renderCorpus(bundledWorld()));
}
