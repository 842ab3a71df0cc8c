// Checks the whole rollout loop with both REAL tools (Pyodide Python in its worker, BM25 search over the
// bundled corpus): a scripted policy (test double for the sampler) searches, computes and answers; the forced
// tokens are exactly the wrapped tool responses, the rest is policy, and segments come out in order.
// Needs a browser (headless Chromium: Pyodide's worker and SharedArrayBuffer); no GPU work.
import { afterAll, describe, expect, it } from "vitest";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { CHATML_TEMPLATE, tinyByteLevelTokenizerJson } from "../tokenizer/testing";
import { PythonTool } from "../tools/python/python_tool";
import { PythonToolRunner } from "../tools/python_runner";
import { loadBundledIndex } from "../tools/search/corpus_loader";
import { LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";
import { freshSeed, mulberry32 } from "../util/random";
import { getFormat, wrapResponse } from "./formats";
import { runRollouts } from "./rollout";
import { ScriptedGenerator } from "./testing";


describe("rollouts with the real Python and search tools", () => {
  const python = new PythonTool();
  afterAll(() => python.dispose());

  it("masks exactly the tool responses as forced, in a search → code → answer rollout", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const tokenizer = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" });
    const index = await loadBundledIndex();
    const search = new SearchTool(new LocalSearchBackend(index), { topK: 1 });
    const tools = new SearchToolRunner(search, new PythonToolRunner(python));
    const corpus = await (await fetch("/corpus/tapo-world.jsonl")).text();
    const titles = corpus.trim().split("\n").map((l) => (JSON.parse(l) as { title: string }).title);
    const name = titles[Math.floor(rand() * titles.length)]!;
    const [a, b] = [2 + Math.floor(rand() * 90), 2 + Math.floor(rand() * 90)];
    const script = [`<think>look up</think><search>${name}</search>`, `<code>print(${a}*${b})</code>`, `<answer>${a * b}</answer>`];
    const generator = new ScriptedGenerator(tokenizer, () => script, seed);
    const config = {
      format: "tapo" as const,
      groupSize: 2,
      maxTurns: 4,
      maxResponseTokens: 2000,
      toolResponseTokens: 2048,
      sampling: { temperature: 1, topP: 1, topK: 0, seed },
    };
    const rollouts = await runRollouts(["Who is it?", "Compute it."], { generator, tools, tokenizer }, config);
    expect(rollouts).toHaveLength(4);
    const format = getFormat("tapo");
    const wantSearch = (await search.run(name)).response;
    for (const r of rollouts) {
      expect(r.finish, `seed ${seed}`).toBe("answer");
      expect(r.segments.map((s) => s.kind)).toEqual(["think", "search", "response", "code", "response", "answer"]);
      // Forced runs, decoded, are exactly the wrapped responses (less any head the sampled tag token already wrote).
      const runs: string[] = [];
      let current: number[] = [];
      r.origins.forEach((o, i) => {
        if (o === "forced") current.push(r.tokens[i]!);
        else if (current.length) {
          runs.push(tokenizer.decode(current));
          current = [];
        }
      });
      if (current.length) runs.push(tokenizer.decode(current));
      expect(runs).toHaveLength(2);
      expect(wrapResponse(format, wantSearch).endsWith(runs[0]!)).toBe(true);
      expect(runs[0]).toContain(`(Title: ${name})`);
      expect(wrapResponse(format, `${a * b}\n`).endsWith(runs[1]!)).toBe(true);
      expect(runs[1]).toContain(`${a * b}\n</response>`);
      // Policy tokens carry log-probs; prompt and forced tokens do not.
      r.origins.forEach((o, i) => expect(Number.isNaN(r.logprobs[i]!), `token ${i} (${o})`).toBe(o !== "policy"));
      expect(r.toolCalls.map((c) => c.tool)).toEqual(["search", "python"]);
      expect(r.toolCalls.every((c) => c.error === undefined)).toBe(true);
    }
  });
});
