// The first stage of the tiny model's build, in Node: everything the native
// trainer (scripts/tiny_sft.py) reads, written to a work folder.
//   train.jsonl        steps × batch fresh SFT examples, in the order the steps take them
//                      (each batch of similar lengths, see sft/batches.ts)
//   held_out.jsonl     test-split examples (another seed): the loss both trainers must agree on
//   python_sample.json demonstrations with Python calls, for the page to check against Pyodide
//   tokenizer.json, tokenizer_config.json   learned from the first demonstrations (or init.from's)
//   native_config.json the model shape, vocabulary, seed and SFT settings
// Deterministic given the settings: seeded tasks, styles and batches.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getFormat } from "../rollout/formats";
import { epochBatches } from "../sft/batches";
import type { SftExample } from "../sft/sft_weights";
import { bundledWorld } from "../tasks/world/bundled";
import type { CorpusDoc } from "../tasks/world/types";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { loadBundledIndexFromDisk } from "../tools/search/corpus_loader";
import { LocalIndex, LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import type { BuildSettings } from "./build_settings";
import type { Demonstration } from "./demonstrations";
import { demonstrationStream, HELD_OUT_EXAMPLES, HELD_OUT_SEED_OFFSET, learnTokenizer, streamExamples } from "./fresh_data";
import type { TinyTokenizerFiles } from "./tokenizer_builder";

/** Demonstrations with Python calls handed to the page for the check against the real tool. */
const PYTHON_SAMPLE = 200;

export type NativeInputs = {
  dir: string;
  tokenizer: TinyTokenizerFiles;
  trainExamples: number;
  heldOutExamples: number;
  trainTokens: number;
  policyTokens: number;
  styles: Record<string, Record<string, number>>;
  skipped: number;
};

const line = (e: SftExample) => `${JSON.stringify(e)}\n`;

/** Writes `examples` as JSON lines, waiting for the stream to drain (train.jsonl runs to tens of MB). */
async function writeJsonl(path: string, examples: readonly SftExample[]): Promise<void> {
  const out = createWriteStream(path);
  for (const e of examples) if (!out.write(line(e))) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** The tokenizer files of an earlier build's folder (init.from), whose weights the native trainer continues from. */
function tokenizerOf(folder: string): TinyTokenizerFiles {
  const read = (name: string) => JSON.parse(readFileSync(join(folder, name), "utf8")) as Record<string, unknown>;
  const record = read("tapo_build.json") as { tokenizer?: { merges: number; ids_used: number } };
  if (!record.tokenizer) throw new Error(`init.from: ${folder}/tapo_build.json has no tokenizer record: continue only from a folder npm run build:tiny-model wrote`);
  return { tokenizerJson: read("tokenizer.json"), tokenizerConfig: read("tokenizer_config.json"), merges: record.tokenizer.merges, idsUsed: record.tokenizer.ids_used };
}

function styleCounts(demos: readonly Demonstration[]): Record<string, Record<string, number>> {
  const styles: Record<string, Record<string, number>> = {};
  for (const d of demos) {
    const c = (styles[d.task.category] ??= {});
    c[d.style] = (c[d.style] ?? 0) + 1;
  }
  return styles;
}

/** Writes the native trainer's inputs for settings `s` into `dir`; `log` gets progress records. */
export async function writeNativeInputs(s: BuildSettings, dir: string, log: (record: Record<string, unknown>) => void): Promise<NativeInputs> {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const format = getFormat(s.format);
  const world = bundledWorld();
  const tool = new SearchTool(new LocalSearchBackend(await loadBundledIndexFromDisk()), { topK: s.searchTopK });
  const search = async (q: string) => (await tool.run(q)).response;
  const freshTinyWorld = (docs: CorpusDoc[]) => {
    const own = new SearchTool(new LocalSearchBackend(LocalIndex.fromDocs(docs)), { topK: s.searchTopK });
    return async (q: string) => (await own.run(q)).response;
  };
  const stream = { format, maxTurns: s.maxTurns, perRound: s.demonstrations.perRound, world, search, freshTinyWorld };
  const count = s.sft.steps * s.sft.batch;
  const train = await demonstrationStream({ ...stream, seed: s.seed, split: "train" }, count);
  log({ event: "demonstrations", count: train.demos.length, skipped: train.skipped.length, seconds: Math.round((performance.now() - t0) / 1000) });
  const heldOut = await demonstrationStream({ ...stream, seed: s.seed + HELD_OUT_SEED_OFFSET, split: "test" }, HELD_OUT_EXAMPLES);

  const tokenizerFiles = s.init.from ? tokenizerOf(s.init.from) : learnTokenizer(train.demos.slice(0, s.demonstrations.tokenizerDemos), format, s.maxTurns, s.tokenizer.vocabSize);
  const tokenizer = QwenTokenizer.fromFiles(tokenizerFiles.tokenizerJson, tokenizerFiles.tokenizerConfig);
  const examples = streamExamples(train.demos, tokenizer, format, s.maxTurns, s.sft.responseWeights);
  const heldOutExamples = streamExamples(heldOut.demos, tokenizer, format, s.maxTurns, s.sft.responseWeights);
  const longest = [...examples, ...heldOutExamples].reduce((n, e) => Math.max(n, e.tokens.length), 0);
  if (longest > s.model.maxPositions) throw new Error(`a demonstration takes ${longest} tokens but the model holds ${s.model.maxPositions} positions: raise model.maxPositions`);

  // Batches of similar lengths (the trainer pads a batch to its longest), in a seeded order: one epoch over the stream.
  const order = epochBatches(examples.map((e) => e.tokens.length), s.sft.batch, s.seed).flat();
  await writeJsonl(join(dir, "train.jsonl"), order.map((i) => examples[i]!));
  await writeJsonl(join(dir, "held_out.jsonl"), heldOutExamples);
  const withPython = [...heldOut.demos, ...train.demos].filter((d) => d.calls.includes("python")).slice(0, PYTHON_SAMPLE);
  writeFileSync(join(dir, "python_sample.json"), JSON.stringify(withPython));
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizerFiles.tokenizerJson));
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(tokenizerFiles.tokenizerConfig));
  writeFileSync(join(dir, "tokenizer_record.json"), JSON.stringify({ merges: tokenizerFiles.merges, ids_used: tokenizerFiles.idsUsed }));
  writeFileSync(join(dir, "native_config.json"), JSON.stringify({ model: s.model, vocab: s.tokenizer.vocabSize, seed: s.seed, sft: s.sft }, null, 2));
  const trainTokens = examples.reduce((n, e) => n + e.tokens.length, 0);
  const policyTokens = examples.reduce((n, e) => n + e.origins.filter((o) => o === "policy").length, 0);
  log({ event: "data", examples: examples.length, held_out: heldOutExamples.length, tokens: trainTokens, policy_tokens: policyTokens, longest, merges: tokenizerFiles.merges, seconds: Math.round((performance.now() - t0) / 1000) });
  return {
    dir,
    tokenizer: tokenizerFiles,
    trainExamples: examples.length,
    heldOutExamples: heldOutExamples.length,
    trainTokens,
    policyTokens,
    styles: styleCounts(train.demos),
    skipped: train.skipped.length,
  };
}
