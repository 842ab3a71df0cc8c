// The tiny model's training data, step by step: built-in train tasks →
// demonstrations (real search responses) → a tokenizer learned from their
// text → token sequences with origins. Runs in Node and in the browser; the
// Python outputs are checked against the real tool by the caller when it has
// one (python_check.ts).
import { renderPrompt, type RolloutFormat } from "../rollout/formats";
import type { SftExample } from "../sft/sft_weights";
import { builtinTasks, type BuiltinCounts } from "../tasks/builtin";
import type { TaskSplit } from "../tasks/types";
import type { World } from "../tasks/world/types";
import type { ToolName } from "../tools/types";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { buildDemonstrations, type Demonstration, demonstrationExample, demonstrationText, type SkippedTask } from "./demonstrations";
import { SearchPlanner } from "./search_plans";
import { buildTinyTokenizer, formatTagTokens, TINY_CONTROL_TOKENS, type TinyTokenizerFiles } from "./tokenizer_builder";

export type DataSettings = {
  seed: number;
  format: RolloutFormat;
  maxTurns: number;
  split: TaskSplit;
  counts: BuiltinCounts;
  vocabSize: number;
  world: World;
  search: (query: string) => Promise<string>;
  /** A tokenizer to keep (a build that continues from an earlier model's weights); by default one is learned from the demonstrations. */
  tokenizerFiles?: TinyTokenizerFiles;
  /** Loss weight of each tool's responses relative to a policy token (piecesExample); default: masked. */
  responseWeights?: Partial<Record<ToolName, number>>;
};

export type TinyData = {
  demos: Demonstration[];
  skipped: SkippedTask[];
  files: TinyTokenizerFiles;
  tokenizer: QwenTokenizer;
  examples: SftExample[];
};

/** The demonstrations of `settings.split` (seeded), each as the full text the tokenizer learns from. */
export async function demonstrationsOf(settings: Omit<DataSettings, "vocabSize" | "tokenizerFiles" | "responseWeights">): Promise<{ demos: Demonstration[]; skipped: SkippedTask[] }> {
  const tasks = builtinTasks({ seed: settings.seed, split: settings.split, counts: settings.counts, world: settings.world });
  return buildDemonstrations(tasks, { seed: settings.seed, format: settings.format, search: settings.search, planner: new SearchPlanner(settings.world) });
}

/** Held-out demonstrations: test-split tasks, another seed; the build reports their loss before and after SFT. */
export const HELD_OUT_COUNTS: BuiltinCounts = { compute: 12, fact1: 12, fact2: 12, mixed: 12, easy: 8 };

/** The held-out demonstrations of a build with `seed` (test split, seed + 1). */
export async function heldOutDemonstrations(settings: Omit<DataSettings, "vocabSize" | "split" | "counts" | "tokenizerFiles" | "responseWeights">): Promise<Demonstration[]> {
  return (await demonstrationsOf({ ...settings, seed: settings.seed + 1, split: "test", counts: HELD_OUT_COUNTS })).demos;
}

/** A tokenizer with no merges: renders prompts exactly (the chat template is the same) before merges exist. */
function bootstrapTokenizer(format: RolloutFormat): QwenTokenizer {
  const tags = formatTagTokens(format);
  const files = buildTinyTokenizer({ texts: [], vocabSize: 256 + TINY_CONTROL_TOKENS.length + tags.length, tags });
  return QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
}

/** Demonstrations, the tokenizer learned from their prompts and responses (or the one given), and the token sequences. */
export async function buildTinyData(settings: DataSettings): Promise<TinyData> {
  const { demos, skipped } = await demonstrationsOf(settings);
  if (demos.length === 0) throw new Error("no demonstrations could be written: check the corpus and the task counts");
  const learn = () => {
    const boot = bootstrapTokenizer(settings.format);
    const texts = demos.map((d) => ({ text: renderPrompt(settings.format, d.task.question, boot, settings.maxTurns).text + demonstrationText(d), weight: 1 }));
    return buildTinyTokenizer({ texts, vocabSize: settings.vocabSize, tags: formatTagTokens(settings.format) });
  };
  const files = settings.tokenizerFiles ?? learn();
  const tokenizer = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
  const examples = demos.map((d) => demonstrationExample(d, tokenizer, settings.format, settings.maxTurns, settings.responseWeights));
  return { demos, skipped, files, tokenizer, examples };
}

/** Counts of demonstrations by category and style, for the build record. */
export function demoStats(demos: readonly Demonstration[], skipped: readonly SkippedTask[]): Record<string, unknown> {
  const styles: Record<string, Record<string, number>> = {};
  for (const d of demos) {
    const c = (styles[d.task.category] ??= {});
    c[d.style] = (c[d.style] ?? 0) + 1;
  }
  return { count: demos.length, grounded: demos.filter((d) => d.grounded).length, styles, skipped: skipped.map((s) => `${s.task.id}: ${s.reason}`) };
}
