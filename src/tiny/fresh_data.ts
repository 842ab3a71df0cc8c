// The tiny model's training stream: fresh demonstrations for every SFT step
// rather than a fixed set seen over and over (a 148k-parameter model learns to
// copy from a stream of new questions, and only memorises a fixed set). Round
// r draws `perRound` built-in tasks of the tiny level (seed + r) and writes one
// demonstration each (demonstrations.ts), so a batch mixes the categories in
// the proportions of `perRound`; questions repeat across rounds only by chance.
// The build also draws a fresh tiny world every round for the fact questions,
// so no fact is seen twice: a model that memorised the bundled tiny world's
// facts would answer train questions without searching, and RL on those would
// teach it to skip the search that held-out questions need.
// The tokenizer is learned from the first demonstrations; every demonstration
// then becomes a token sequence with origins, the SFT example the native
// trainer (scripts/tiny_sft.py) and the engine's SFT both read.
import { renderPrompt } from "../rollout/formats";
import { type RolloutFormat } from "../protocol/format";
import type { SftExample } from "../sft/sft_weights";
import { builtinTasks, type BuiltinCounts } from "../tasks/builtin";
import type { TaskSplit } from "../protocol/tasks";
import { bundledWorldWords } from "../tasks/world/bundled";
import { generateTinyWorld, renderTinyCorpus } from "../tasks/world/tiny_world";
import type { CorpusDoc, World } from "../tasks/world/types";
import type { ToolName } from "../protocol/tools";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { buildDemonstrations, type Demonstration, demonstrationExample, demonstrationText, type SkippedTask } from "./demonstrations";
import { SearchPlanner } from "./search_plans";
import { buildTinyTokenizer, formatTagTokens, TINY_CONTROL_TOKENS, type TinyTokenizerFiles } from "./tokenizer_builder";

export type StreamSettings = {
  seed: number;
  format: RolloutFormat;
  maxTurns: number;
  split: TaskSplit;
  /** Tasks of each category per round (one round ≈ one batch). */
  perRound: BuiltinCounts;
  world: World;
  search: (query: string) => Promise<string>;
  /**
   * When given, each round asks its fact questions about a fresh tiny world (generated with the
   * round's seed) and runs their searches through the search this returns over that world's
   * documents. Facts then never repeat, so the model learns to search and copy, not to recall.
   */
  freshTinyWorld?: (docs: CorpusDoc[]) => (query: string) => Promise<string>;
};

/** Round r of a stream with seed S uses seed S + r·ROUND_STRIDE. */
const ROUND_STRIDE = 7919;
/** The held-out examples of a build with seed S: the first HELD_OUT_EXAMPLES of the test split's stream with seed S + 1. */
export const HELD_OUT_EXAMPLES = 256;
export const HELD_OUT_SEED_OFFSET = 1;

/** `count` demonstrations of fresh tiny-level tasks, round after round, and the tasks skipped on the way. */
export async function demonstrationStream(s: StreamSettings, count: number): Promise<{ demos: Demonstration[]; skipped: SkippedTask[] }> {
  const planner = new SearchPlanner(s.world);
  const demos: Demonstration[] = [];
  const skipped: SkippedTask[] = [];
  for (let round = 0; demos.length < count; round++) {
    const seed = (s.seed + round * ROUND_STRIDE) >>> 0;
    const tinyWorld = s.freshTinyWorld && generateTinyWorld(seed, bundledWorldWords());
    if (tinyWorld) planner.useTinyWorld(tinyWorld);
    const factSearch = tinyWorld && s.freshTinyWorld!(renderTinyCorpus(tinyWorld));
    const tasks = builtinTasks({ seed, split: s.split, level: "tiny", counts: s.perRound, world: s.world, tinyWorld });
    const built = await buildDemonstrations(tasks, { seed, format: s.format, search: s.search, factSearch, planner });
    demos.push(...built.demos);
    skipped.push(...built.skipped);
    if (round > 10 && demos.length === 0) throw new Error("no demonstrations could be written in ten rounds: check the corpus and perRound");
  }
  return { demos: demos.slice(0, count), skipped };
}

/** A tokenizer with no merges: renders prompts exactly (the chat template is the same) before merges exist. */
function bootstrapTokenizer(format: RolloutFormat): QwenTokenizer {
  const tags = formatTagTokens(format);
  const files = buildTinyTokenizer({ texts: [], vocabSize: 256 + TINY_CONTROL_TOKENS.length + tags.length, tags });
  return QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
}

/** The tokenizer files learned from the prompts and responses of `demos`. */
export function learnTokenizer(demos: readonly Demonstration[], format: RolloutFormat, maxTurns: number, vocabSize: number): TinyTokenizerFiles {
  const boot = bootstrapTokenizer(format);
  const texts = demos.map((d) => ({ text: renderPrompt(format, d.task.question, boot, maxTurns).text + demonstrationText(d), weight: 1 }));
  return buildTinyTokenizer({ texts, vocabSize, tags: formatTagTokens(format) });
}

/** The demonstrations as SFT examples (tool responses weighted per `responseWeights`, masked by default). */
export function streamExamples(
  demos: readonly Demonstration[],
  tokenizer: QwenTokenizer,
  format: RolloutFormat,
  maxTurns: number,
  responseWeights?: Partial<Record<ToolName, number>>,
): SftExample[] {
  return demos.map((d) => demonstrationExample(d, tokenizer, format, maxTurns, responseWeights));
}
