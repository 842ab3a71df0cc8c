// `npm run build:corpus`: writes the bundled search corpus
// (public/corpus/tapo-world.jsonl) from the fictional world's fixed seed.
// The output is deterministic; a unit test checks the committed file matches.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BUNDLED_CORPUS_FILE, bundledCorpusJsonl } from "../src/tasks/world/bundled.ts";

const text = bundledCorpusJsonl();
mkdirSync(dirname(BUNDLED_CORPUS_FILE), { recursive: true });
writeFileSync(BUNDLED_CORPUS_FILE, text);
const lines = text.split("\n").length - 1;
console.log(`wrote ${BUNDLED_CORPUS_FILE}: ${lines} documents, ${text.length} characters`);
