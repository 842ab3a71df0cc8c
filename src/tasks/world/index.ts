// The fictional world's public API, for question generators and the search tool.

export { bundledCorpusJsonl, bundledTinyWorld, bundledWorld, BUNDLED_CORPUS_FILE, BUNDLED_CORPUS_URL_PATH, BUNDLED_WORLD_SEED } from "./bundled.ts";
export { DEFAULT_WORLD_SIZES, entitiesById, generateWorld, WorldSizeError } from "./generate.ts";
export { worldFacts } from "./facts.ts";
export { NameRegistry, NameSpaceExhaustedError } from "./names.ts";
export { corpusToJsonl, renderCorpus, renderDocument } from "./render.ts";
export type * from "./types.ts";
export { generateTinyWorld, renderTinyCorpus, TINY_SYLLABLES, TINY_WORLD_SEED, TINY_WORLD_SIZES } from "./tiny_world.ts";
