// Checks the tiny model's stream of fresh demonstrations (Node, no GPU; the real search tool on the bundled corpus): it yields exactly the asked count in the per-round category mix, repeats for a seed, differs between seeds, writes tiny-level computations as copy-free nums code whose printed output is the answer, its examples tokenize with origins a rollout would give, and with fresh tiny worlds its fact questions are not the bundled tiny world's yet are answered by their own world's documents.
import { beforeAll, describe, expect, it } from "vitest";
import { formatTagsOf } from "../rewards/format";
import { scoreRollout } from "../rewards/score";
import { getFormat } from "../rollout/formats";
import { bundledTinyWorld, bundledWorld } from "../tasks/world/bundled";
import { tinyFactQuestionPool } from "../tasks/tiny_fact_questions";
import type { CorpusDoc } from "../tasks/world/types";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { loadBundledIndexFromDisk } from "../tools/search/corpus_loader";
import { LocalIndex, LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { freshSeed } from "../util/random";
import { demonstrationText } from "./demonstrations";
import { demonstrationStream, learnTokenizer, type StreamSettings, streamExamples } from "./fresh_data";

const format = getFormat("tiny");
let settings: (seed: number) => StreamSettings;

beforeAll(async () => {
  const tool = new SearchTool(new LocalSearchBackend(await loadBundledIndexFromDisk()), { topK: 1 });
  settings = (seed) => ({ seed, format, maxTurns: 2, split: "train", perRound: { compute: 3, fact1: 2, fact2: 1, easy: 2 }, world: bundledWorld(), search: async (q) => (await tool.run(q)).response });
});

describe("demonstrationStream", () => {
  it("gives the asked count in the per-round mix, the same for a seed and another for another seed", async () => {
    const seed = freshSeed();
    const { demos } = await demonstrationStream(settings(seed), 203);
    expect(demos).toHaveLength(203);
    const share = (c: string) => demos.filter((d) => d.task.category === c).length / demos.length;
    expect(share("compute"), `seed ${seed}`).toBeCloseTo(3 / 8, 1);
    expect(share("easy"), `seed ${seed}`).toBeCloseTo(2 / 8, 1);
    expect(share("mixed")).toBe(0);
    const again = await demonstrationStream(settings(seed), 203);
    expect(again.demos.map(demonstrationText)).toEqual(demos.map(demonstrationText));
    const other = await demonstrationStream(settings(seed + 1), 203);
    expect(other.demos.map((d) => d.task.question)).not.toEqual(demos.map((d) => d.task.question));
    // Fresh: far more distinct questions than one round holds.
    expect(new Set(demos.map((d) => d.task.question)).size).toBeGreaterThan(150);
  });

  it("writes computations as nums code whose output is the answer, and examples with the rollout's origins", async () => {
    const seed = freshSeed();
    const { demos } = await demonstrationStream(settings(seed), 160);
    const tags = formatTagsOf(format);
    const coded = demos.filter((d) => d.task.category === "compute" && d.style === "python");
    expect(coded.length, `seed ${seed}`).toBeGreaterThan(10);
    for (const d of coded) {
      const op = /^What is \d+ ([*+-]) \d+\?$/.exec(d.task.question)![1];
      expect(d.pieces[0]!.text).toContain(`<code>print(nums[0] ${op} nums[1])</code>`);
      expect(d.pieces[1]!.text).toBe(`\n<response>${d.task.answers[0]}\n</response>\n`);
      expect(scoreRollout(demonstrationText(d), d.task.answers, d.task.kind, { tags }).correct).toBe(true);
    }
    const files = learnTokenizer(demos, format, 2, 640);
    const tokenizer = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
    const examples = streamExamples(demos, tokenizer, format, 2, { search: 0.5 });
    examples.forEach((e, i) => {
      expect(e.tokens.length).toBe(e.origins.length);
      expect(tokenizer.decode(e.tokens)).toContain(demonstrationText(demos[i]!));
      const searched = demos[i]!.calls.includes("search");
      expect(e.forcedWeights !== undefined, `${demos[i]!.task.question}`).toBe(searched);
    });
  });

  it("with fresh tiny worlds, asks facts the bundled tiny world does not hold and answers them from each round's own documents", async () => {
    const seed = freshSeed();
    const indexed: CorpusDoc[][] = [];
    const freshTinyWorld = (docs: CorpusDoc[]) => {
      indexed.push(docs);
      const tool = new SearchTool(new LocalSearchBackend(LocalIndex.fromDocs(docs)), { topK: 1 });
      return async (q: string) => (await tool.run(q)).response;
    };
    const { demos, skipped } = await demonstrationStream({ ...settings(seed), freshTinyWorld }, 120);
    expect(skipped, `seed ${seed}`).toEqual([]);
    expect(indexed.length).toBe(Math.ceil(120 / 8));
    expect(indexed[0]!.map((d) => d.text)).not.toEqual(indexed[1]!.map((d) => d.text));
    const bundled = new Map(tinyFactQuestionPool(bundledTinyWorld()).map((q) => [q.question, q.answers[0]]));
    const facts = demos.filter((d) => d.task.category === "fact1" || d.task.category === "fact2");
    expect(facts.length, `seed ${seed}`).toBeGreaterThan(20);
    // Names repeat across worlds (576 exist), facts mostly do not.
    expect(facts.filter((d) => bundled.get(d.task.question) === d.task.answers[0]).length, `seed ${seed}`).toBeLessThan(facts.length / 4);
    for (const d of facts.filter((x) => x.style === "search")) {
      const responses = d.pieces.filter((p) => p.origin === "forced").map((p) => p.text);
      expect(responses.length, d.task.question).toBe(d.task.category === "fact1" ? 1 : 2);
      expect(responses.at(-1), `seed ${seed}: ${d.task.question}`).toContain(` ${d.task.answers[0]}.`);
    }
  });
});
