// Checks the tiny model's demonstrations over the built-in train split and the real search tool on the bundled corpus (Node, no GPU): every demonstration passes the format reward, grounded ones are scored correct, forced pieces are exactly the wrapped real search responses, the style mix follows demo_mix.json, the same seed repeats, and the token sequence keeps prompt, policy and forced origins where the rollout loop would put them.
import { beforeAll, describe, expect, it } from "vitest";
import { formatTagsOf } from "../rewards/format";
import { scoreRollout } from "../rewards/score";
import { getFormat, renderPrompt, wrapResponse } from "../rollout/formats";
import { builtinTasks } from "../tasks/builtin";
import { bundledWorld } from "../tasks/world/bundled";
import type { BuiltinTask, TaskCategory } from "../protocol/tasks";
import { loadBundledIndexFromDisk } from "../tools/search/corpus_loader";
import { LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { freshSeed } from "../util/random";
import mix from "./demo_mix.json";
import { buildDemonstrations, type Demonstration, demonstrationExample, demonstrationText, drawStyle } from "./demonstrations";
import { SearchPlanner } from "./search_plans";
import { buildTinyTokenizer, formatTagTokens } from "./tokenizer_builder";
import { QwenTokenizer } from "../tokenizer/tokenizer";

const format = getFormat("tiny");
const tags = formatTagsOf(format);
let search: SearchTool;
const planner = new SearchPlanner(bundledWorld());
const COUNTS = { compute: 120, fact1: 120, fact2: 120, mixed: 120, easy: 120 };
let tasks: BuiltinTask[];

beforeAll(async () => {
  search = new SearchTool(new LocalSearchBackend(await loadBundledIndexFromDisk()), { topK: 1 });
  tasks = builtinTasks({ seed: 7, split: "train", counts: COUNTS });
});

const settings = (seed: number) => ({ seed, format, planner, search: async (q: string) => (await search.run(q)).response });

describe("buildDemonstrations", () => {
  it("writes well-formed rollouts whose grounded answers score correct", async () => {
    const seed = freshSeed();
    const { demos, skipped } = await buildDemonstrations(tasks, settings(seed));
    expect(skipped, `seed ${seed}: ${skipped.slice(0, 3).map((s) => `${s.task.question}: ${s.reason}`).join("; ")}`).toHaveLength(0);
    expect(demos).toHaveLength(tasks.length);
    for (const d of demos) {
      const text = demonstrationText(d);
      const reward = scoreRollout(text, d.task.answers, d.task.kind, { tags });
      const msg = `seed ${seed}, ${d.task.category}/${d.style}: ${text}`;
      expect(reward.format, msg).toBe(true);
      if (d.grounded) expect(reward.correct, msg).toBe(true);
      expect(d.calls.length, msg).toBe(d.pieces.filter((p) => p.origin === "forced").length);
      // Policy and forced pieces alternate, policy first and last.
      d.pieces.forEach((p, i) => expect(p.origin, msg).toBe(i % 2 === 0 ? "policy" : "forced"));
    }
    const by = (category: TaskCategory, style: string) => demos.filter((d) => d.task.category === category && d.style === style);
    for (const d of by("compute", "python")) expect(d.calls, d.task.question).toEqual(["python"]);
    for (const d of by("fact2", "search")) expect(d.calls).toEqual(["search", "search"]);
    for (const d of by("mixed", "search")) expect(d.calls).toEqual(["search", "search", "python"]);
    for (const d of by("easy", "none")) expect(d.calls).toEqual([]);
  });

  it("puts the real search tool's responses in the forced pieces", async () => {
    const { demos } = await buildDemonstrations(tasks.slice(0, 200), settings(3));
    const searched = demos.filter((d) => d.calls[0] === "search" && d.task.category.startsWith("fact"));
    expect(searched.length).toBeGreaterThan(10);
    for (const d of searched) {
      const query = /<search>(.*?)<\/search>/.exec(d.pieces[0]!.text)![1]!;
      expect(d.pieces[1]!.text).toBe(wrapResponse(format, (await search.run(query)).response));
      expect(d.pieces[1]!.text).toContain(`(Title: ${query.trim()})`);
    }
  });

  it("draws styles by demo_mix.json, the same for the same seed", async () => {
    const a = await buildDemonstrations(tasks, settings(11));
    const b = await buildDemonstrations(tasks, settings(11));
    const c = await buildDemonstrations(tasks, settings(12));
    expect(b.demos.map((d) => d.style)).toEqual(a.demos.map((d) => d.style));
    expect(c.demos.map((d) => d.style)).not.toEqual(a.demos.map((d) => d.style));
    for (const [category, styles] of Object.entries(mix.styles) as [TaskCategory, Record<string, number>][]) {
      const mine = a.demos.filter((d) => d.task.category === category);
      for (const [style, p] of Object.entries(styles)) {
        const share = mine.filter((d) => d.style === style).length / mine.length;
        // 120 draws: a binomial share is within ±0.15 of p far beyond 3 standard deviations.
        expect(Math.abs(share - p), `${category}/${style}: ${share} vs ${p}`).toBeLessThan(0.15);
      }
    }
    // The first listed style takes u near 0, the last u near 1.
    const compute = Object.keys(mix.styles.compute);
    expect(drawStyle("compute", 0)).toBe(compute[0]);
    expect(drawStyle("compute", 0.9999)).toBe(compute.at(-1));
  });

  it("writes queries and document answers as the token runs they are copied from", async () => {
    const { demos } = await buildDemonstrations(tasks, settings(freshSeed()));
    const texts = demos.slice(0, 200).map((d: Demonstration) => ({ text: `Question: ${d.task.question}\n${demonstrationText(d)}`, weight: 1 }));
    const files = buildTinyTokenizer({ texts, vocabSize: 640, tags: formatTagTokens(format) });
    const tokenizer = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
    const ids = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
    const contains = (hay: number[], needle: number[]) => hay.some((_, i) => needle.every((t, j) => hay[i + j] === t));
    const checked = { query: 0, answer: 0 };
    for (const d of demos.filter((x) => x.task.category === "fact1" && x.style === "search")) {
      const query = /<search>(.*?)<\/search>/.exec(d.pieces[0]!.text)![1]!;
      const inner = ids(query);
      const msg = `${d.task.question} → "${query}"`;
      // The name's tokens are a run of the question's and of the document's tokens.
      expect(contains(ids(`Question: ${d.task.question}`), inner), msg).toBe(true);
      expect(contains(ids(d.pieces[1]!.text), inner), msg).toBe(true);
      checked.query++;
      if (/^\p{L}/u.test(d.answer)) {
        const answerInner = /<answer>(.*?)<\/answer>/.exec(d.pieces[2]!.text)![1]!;
        expect(contains(ids(d.pieces[1]!.text), ids(answerInner)), `${msg}: ${answerInner}`).toBe(true);
        checked.answer++;
      }
    }
    expect(checked.query).toBeGreaterThan(30);
    expect(checked.answer).toBeGreaterThan(10);
  });

  it("tokenizes as a rollout would: prompt, then each piece with its origin", async () => {
    const { demos } = await buildDemonstrations(tasks.slice(0, 60), settings(5));
    const texts = demos.map((d: Demonstration) => ({ text: demonstrationText(d), weight: 1 }));
    const files = buildTinyTokenizer({ texts, vocabSize: 512, tags: formatTagTokens(format) });
    const tokenizer = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);
    for (const d of demos) {
      const ex = demonstrationExample(d, tokenizer, format, 4);
      const prompt = renderPrompt(format, d.task.question, tokenizer, 4).ids;
      expect(ex.tokens.slice(0, prompt.length)).toEqual(prompt);
      expect(ex.origins.slice(0, prompt.length).every((o) => o === "prompt")).toBe(true);
      expect(tokenizer.decode(ex.tokens.slice(prompt.length))).toBe(demonstrationText(d));
      // Runs of one origin decode to the pieces, in order.
      const runs: string[] = [];
      let start = prompt.length;
      for (let i = prompt.length + 1; i <= ex.tokens.length; i++) {
        if (i === ex.tokens.length || ex.origins[i] !== ex.origins[start]) {
          runs.push(`${ex.origins[start]}:${tokenizer.decode(ex.tokens.slice(start, i))}`);
          start = i;
        }
      }
      expect(runs).toEqual(d.pieces.map((p) => `${p.origin}:${p.text}`));
    }
  });
});
