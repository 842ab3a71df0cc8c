// Checks the rollout loop with a scripted policy, table tools and the real Qwen tokenizer: token origins and log-probs, stop-at-first-closing-tag, cuts after the tag, tool budgets, corrective messages, budgets, concurrency around slow tools, the three presets, events and traces. Node, no GPU.
import { describe, expect, it } from "vitest";
import { loadShippedQwenFiles } from "../tokenizer/testing_files";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { freshSeed } from "../util/random";
import type { RolloutEvent } from "../protocol/rollout_events";
import { getFormat, systemPrompt } from "./formats";
import { correctiveCore } from "./segments";
import { RolloutAbortedError, runRollouts, type Rollout, type RolloutConfig } from "./rollout";
import { ScriptedGenerator, TableToolRunner, type PolicyScript } from "./testing";
import { toTrace } from "../traces/from_rollout";
import { traceProblem } from "../traces/trace_check";

const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
const tok = QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
const IM_END = tok.specialTokens.get("<|im_end|>")!;

const TABLE: Record<string, string> = {
  "capital of France": "Doc 1: (Title: Paris) Paris is the capital of France.",
  "population of Paris": "Doc 1: (Title: Paris) About 2.1 million people live in Paris.",
};
const PY_OUT = "4\n";

const Q_FRANCE = "What is the capital of France?";
const Q_OTHER = "What is two plus two?";

function config(over: Partial<RolloutConfig> = {}): RolloutConfig {
  return {
    format: "tapo",
    groupSize: 1,
    maxTurns: 4,
    maxResponseTokens: 512,
    toolResponseTokens: 2048,
    sampling: { temperature: 1, topP: 1, topK: 0, seed: 7 },
    ...over,
  };
}

/** Runs `questions` with scripts picked by question (and sample) through the doubles. */
async function run(
  questions: string[],
  scripts: Record<string, PolicyScript[]>,
  cfg: RolloutConfig,
  toolOpts: { pythonDelayMs?: number; searchDelayMs?: number } = {},
) {
  const seed = freshSeed();
  const tools = new TableToolRunner(TABLE, { pythonOutput: PY_OUT, ...toolOpts });
  const generator = new ScriptedGenerator(
    tok,
    (prompt, nth) => {
      const q = Object.keys(scripts).find((k) => prompt.includes(k));
      if (q === undefined) throw new Error(`no script for prompt ${prompt}`);
      return scripts[q]![nth % scripts[q]!.length]!;
    },
    seed,
    () => tools.pending,
  );
  const events: RolloutEvent[] = [];
  const rollouts = await runRollouts(questions, { generator, tools, tokenizer: tok }, cfg, (e) => events.push(e));
  return { rollouts, generator, tools, events, seed };
}

/** Maximal runs of one origin: [origin, first index, end index). */
function originRuns(r: Rollout): [string, number, number][] {
  const out: [string, number, number][] = [];
  r.origins.forEach((o, i) => {
    const last = out.at(-1);
    if (last !== undefined && last[0] === o) last[2] = i + 1;
    else out.push([o, i, i + 1]);
  });
  return out;
}

function ids(text: string): number[] {
  return tok.encode(text, { addSpecialTokens: false });
}

/** Checks what holds for every rollout: the generator's cache holds exactly its tokens, sampled log-probs, the text. */
function checkConsistent(r: Rollout, generator: ScriptedGenerator, seq: number, seed: number): void {
  const msg = `seed ${seed}, rollout ${r.questionIndex}/${r.sampleIndex}`;
  expect(generator.sequences[seq]!.tokens, msg).toEqual(r.tokens);
  expect(generator.sequences[seq]!.released, msg).toBe(true);
  const sampled = generator.sampled.get(seq)!;
  const policyAt = r.origins.flatMap((o, i) => (o === "policy" ? [i] : []));
  expect(policyAt.map((i) => r.tokens[i]), msg).toEqual(sampled.map((s) => s.token));
  expect(policyAt.map((i) => r.logprobs[i]), msg).toEqual(sampled.map((s) => s.logprob));
  r.origins.forEach((o, i) => {
    if (o !== "policy") expect(Number.isNaN(r.logprobs[i]), `${msg}, token ${i}`).toBe(true);
  });
  expect(r.policyTokens, msg).toBe(policyAt.length);
  expect(r.forcedTokens, msg).toBe(r.origins.filter((o) => o === "forced").length);
  const response = r.tokens.slice(r.promptTokens);
  const shown = response.at(-1) === IM_END ? response.slice(0, -1) : response;
  expect(r.text, msg).toBe(tok.decode(shown));
}

describe("runRollouts with TAPO tags", () => {
  const turns = [
    "<think>I need the capital.</think>\n<search>capital of France</search>",
    "<think>Check with code.</think>\n<code>print(2 + 2)</code>",
    "<think>Done.</think>\n<answer>Paris</answer>",
  ];

  it("marks prompt, policy and forced tokens exactly and keeps sampled log-probs", async () => {
    const { rollouts, generator, seed } = await run([Q_FRANCE], { [Q_FRANCE]: [turns] }, config());
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    const format = getFormat("tapo");
    const prompt = tok.encodeChat(
      [
        { role: "system", content: systemPrompt(format, 4) },
        { role: "user", content: `Question: ${Q_FRANCE}` },
      ],
      { addGenerationPrompt: true },
    );
    const promptText = tok.decode(prompt);
    expect(promptText.startsWith("<|im_start|>system\n")).toBe(true);
    expect(promptText.endsWith("<|im_start|>assistant\n")).toBe(true);
    expect(promptText).toContain("at most 4 times");
    expect(originRuns(r)).toEqual([
      ["prompt", 0, prompt.length],
      ["policy", prompt.length, prompt.length + ids(turns[0]!).length],
      expect.arrayContaining(["forced"]),
      expect.arrayContaining(["policy"]),
      expect.arrayContaining(["forced"]),
      expect.arrayContaining(["policy"]),
    ]);
    expect(r.tokens.slice(0, prompt.length)).toEqual(prompt);
    const runs = originRuns(r);
    const slice = (k: number) => r.tokens.slice(runs[k]![1], runs[k]![2]);
    expect(slice(1)).toEqual(ids(turns[0]!));
    expect(slice(2)).toEqual(ids(`\n\n<response>${TABLE["capital of France"]}</response>\n\n`));
    expect(slice(3)).toEqual(ids(turns[1]!));
    expect(slice(4)).toEqual(ids(`\n\n<response>${PY_OUT}</response>\n\n`));
    expect(slice(5)).toEqual(ids(turns[2]!));
    expect(r.finish).toBe("answer");
    expect(r.turns).toBe(3);
    expect(r.toolCalls.map((c) => c.tool)).toEqual(["search", "python"]);
  });

  it("builds segments from policy text and tool responses, and a valid trace", async () => {
    const { rollouts } = await run([Q_FRANCE], { [Q_FRANCE]: [turns] }, config(), { pythonDelayMs: 5 });
    const r = rollouts[0]!;
    expect(r.segments.map((s) => s.kind)).toEqual(["think", "search", "response", "think", "code", "response", "think", "answer"]);
    expect(r.segments[1]).toEqual({ kind: "search", text: "capital of France" });
    expect(r.segments[2]).toMatchObject({ kind: "response", tool: "search", text: TABLE["capital of France"] });
    expect(r.segments[5]).toMatchObject({ kind: "response", tool: "python", text: PY_OUT });
    expect((r.segments[5] as { ms?: number }).ms).toBeGreaterThanOrEqual(5);
    expect(r.segments.at(-1)).toEqual({ kind: "answer", text: "Paris" });

    const created = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const trace = toTrace(r, { model: "tiny", question: Q_FRANCE, gold: ["Paris"], step: 3, created });
    expect(traceProblem(JSON.parse(JSON.stringify(trace)))).toBeUndefined();
    expect(trace).toMatchObject({ v: 1, model: "tiny", step: 3, question: Q_FRANCE, gold: ["Paris"], created: created.toISOString() });
    expect(trace.tokens).toEqual({ policy: r.policyTokens, forced: r.forcedTokens });
    expect(trace.segments).toEqual(r.segments);
    expect(traceProblem({ ...trace, v: 2 })).toMatch(/version 2/);
    expect(traceProblem({ ...trace, segments: [{ kind: "response", tool: "web", text: "" }] })).toMatch(/tool/);
  });

  it("streams deltas that add up to the text, tool calls, and one finish per rollout", async () => {
    const { rollouts, events } = await run([Q_FRANCE, Q_OTHER], { [Q_FRANCE]: [turns], [Q_OTHER]: [["<answer>4</answer>"]] }, config({ groupSize: 2 }));
    for (const r of rollouts) {
      const mine = events.filter((e) => e.questionIndex === r.questionIndex && e.sampleIndex === r.sampleIndex);
      expect(mine[0]).toMatchObject({ type: "start", promptTokens: r.promptTokens });
      expect(mine.at(-1)).toMatchObject({ type: "finish", finish: r.finish, policyTokens: r.policyTokens, turns: r.turns });
      const deltas = mine.flatMap((e) => (e.type === "tokens" ? [e] : []));
      expect(deltas.map((e) => e.text).join("")).toBe(r.text);
      expect(deltas.reduce((n, e) => n + e.count, 0)).toBe(r.tokens.length - r.promptTokens);
      const starts = mine.filter((e) => e.type === "tool_start");
      const ends = mine.filter((e) => e.type === "tool_end");
      expect(starts.length).toBe(r.toolCalls.length);
      expect(ends.map((e) => e.type === "tool_end" && e.tool)).toEqual(r.toolCalls.map((c) => c.tool));
      expect(JSON.parse(JSON.stringify(mine))).toEqual(mine);
    }
    expect(rollouts.map((r) => [r.questionIndex, r.sampleIndex])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
  });

  it("stops at the first closing tag and cuts what the script would have written after it", async () => {
    const script = ["<search>capital of France</search> and more text </code>", "<answer>Paris</answer> trailing words"];
    const { rollouts, generator, seed } = await run([Q_FRANCE], { [Q_FRANCE]: [script] }, config());
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    expect(r.text).not.toContain("more text");
    expect(r.text).not.toContain("trailing");
    expect(r.toolCalls.map((c) => c.tool)).toEqual(["search"]);
    expect(r.finish).toBe("answer");
    expect(r.tokens.at(-1)).toBe(ids("<answer>Paris</answer>").at(-1));
  });

  it("keeps a tag-completing token that runs past the tag and joins the forced text without doubling it", async () => {
    const first = "<search>capital of France</search>\n\nignored";
    const firstIds = ids(first);
    // Precondition: Qwen's BPE writes ">\n\n" as one token here, so the tag ends inside a token.
    expect(firstIds.map((t) => tok.decode([t]))).toContain(">\n\n");
    const { rollouts, generator, seed } = await run([Q_FRANCE], { [Q_FRANCE]: [[first, "<answer>Paris</answer>"]] }, config());
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    expect(r.text).toBe(`<search>capital of France</search>\n\n<response>${TABLE["capital of France"]}</response>\n\n<answer>Paris</answer>`);
    const runs = originRuns(r);
    expect(r.tokens.slice(runs[1]![1], runs[1]![2]).map((t) => tok.decode([t])).at(-1)).toBe(">\n\n");
    expect(r.tokens.slice(runs[2]![1], runs[2]![2])).toEqual(ids(`<response>${TABLE["capital of France"]}</response>\n\n`));
  });

  it("takes whichever closing tag comes first: code before search, and a stray one inside think", async () => {
    const codeFirst = await run([Q_OTHER], { [Q_OTHER]: [["<code>print(2+2)</code><search>capital of France</search>", "<answer>4</answer>"]] }, config());
    expect(codeFirst.rollouts[0]!.toolCalls.map((c) => c.tool)).toEqual(["python"]);
    expect(codeFirst.tools.calls.map((c) => c.call)).toEqual([{ tool: "python", text: "print(2+2)" }]);

    const stray = await run([Q_OTHER], { [Q_OTHER]: [["<think>I could write </code> here</think>", "<answer>4</answer>"]] }, config());
    const r = stray.rollouts[0]!;
    checkConsistent(r, stray.generator, 0, stray.seed);
    expect(stray.tools.calls).toEqual([]);
    const runs = originRuns(r);
    expect(r.tokens.slice(runs[1]![1], runs[1]![2])).toEqual(ids("<think>I could write </code>"));
    expect(r.tokens.slice(runs[2]![1], runs[2]![2])).toEqual(ids(getFormat("tapo").corrective));
    expect(r.segments).toEqual([
      // The turn was cut inside <think>: its unclosed block still reads as reasoning.
      { kind: "think", text: "I could write </code>" },
      { kind: "response", tool: "none", text: correctiveCore(getFormat("tapo")) },
      { kind: "answer", text: "4" },
    ]);
    expect(r.finish).toBe("answer");
  });

  it("gives the corrective message as forced text after an invalid turn", async () => {
    const script = ["<think>hmm</think>\n</search>", "<search></search>", "<answer>Paris</answer>"];
    const { rollouts, generator, seed } = await run([Q_FRANCE], { [Q_FRANCE]: [script] }, config());
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    const corrective = ids(getFormat("tapo").corrective);
    const forced = originRuns(r).filter(([o]) => o === "forced");
    expect(forced.map(([, a, b]) => r.tokens.slice(a, b))).toEqual([corrective, corrective]);
    expect(r.toolCalls).toEqual([]);
    expect(r.turns).toBe(3);
    expect(r.finish).toBe("answer");
  });

  it("allows maxTurns tool turns, then one last turn without tools", async () => {
    const search = "<search>capital of France</search>";
    const { rollouts, generator, seed, tools } = await run([Q_FRANCE], { [Q_FRANCE]: [[search, search, search, search]] }, config({ maxTurns: 2 }));
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    expect(tools.calls.length).toBe(2);
    expect(r.toolCalls.length).toBe(2);
    expect(r.turns).toBe(3);
    expect(r.finish).toBe("max_turns");
    expect(originRuns(r).at(-1)![0]).toBe("policy");
    expect(r.text.endsWith(search)).toBe(true);

    const answered = await run([Q_FRANCE], { [Q_FRANCE]: [[search, search, "<answer>Paris</answer>"]] }, config({ maxTurns: 2 }));
    expect(answered.rollouts[0]!.finish).toBe("answer");
    expect(answered.rollouts[0]!.toolCalls.length).toBe(2);
  });

  it("stops at the policy-token budget, at the context budget, and at an end-of-turn token", async () => {
    const long = "<think>" + "one two three four five six seven eight nine ten ".repeat(10) + "</think><answer>x</answer>";
    const budget = await run([Q_OTHER], { [Q_OTHER]: [[long]] }, config({ maxResponseTokens: 9 }));
    const r = budget.rollouts[0]!;
    checkConsistent(r, budget.generator, 0, budget.seed);
    expect(r.finish).toBe("length");
    expect(r.policyTokens).toBe(9);
    expect(r.segments).toEqual([{ kind: "think", text: tok.decode(ids(long).slice(1, 9)).trim() }]);

    const ctx = await run([Q_FRANCE], { [Q_FRANCE]: [["<search>capital of France</search>", "<answer>Paris</answer>"]] }, config({ maxContextTokens: 0 }));
    expect(ctx.rollouts[0]!.finish).toBe("length");
    expect(ctx.rollouts[0]!.policyTokens).toBe(1);

    const eos = await run([Q_OTHER], { [Q_OTHER]: [["<think>no idea</think><|im_end|>more"]] }, config());
    const e = eos.rollouts[0]!;
    checkConsistent(e, eos.generator, 0, eos.seed);
    expect(e.finish).toBe("eos");
    expect(e.tokens.at(-1)).toBe(IM_END);
    expect(e.origins.at(-1)).toBe("policy");
    expect(e.text).toBe("<think>no idea</think>");
  });

  it("truncates a tool's output to the response token budget", async () => {
    const { rollouts, generator, seed } = await run([Q_FRANCE], { [Q_FRANCE]: [["<search>population of Paris</search>", "<answer>2.1 million</answer>"]] }, config({ toolResponseTokens: 5 }));
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    const full = TABLE["population of Paris"]!;
    const shown = (r.segments[1] as { text: string }).text;
    expect(full.startsWith(shown)).toBe(true);
    expect(ids(shown).length).toBe(5);
    const forced = originRuns(r).find(([o]) => o === "forced")!;
    expect(r.tokens.slice(forced[1], forced[2])).toEqual(ids(`\n\n<response>${shown}</response>\n\n`));
  });

  it("keeps decoding other sequences while one waits for a slow tool", async () => {
    const busy = "<think>" + "counting sheep one by one ".repeat(12) + "</think><answer>4</answer>";
    const scripts = { [Q_OTHER]: [["<code>print(2 + 2)</code>", "<answer>4</answer>"], [busy], [busy]] };
    const { rollouts, generator, seed } = await run([Q_OTHER], scripts, config({ groupSize: 3 }), { pythonDelayMs: 40 });
    const waitingSteps = generator.steps.filter((s) => s.toolsPending > 0);
    expect(waitingSteps.length, `seed ${seed}`).toBeGreaterThan(10);
    for (const s of waitingSteps) {
      expect(s.ids).not.toContain(0);
      expect(s.ids).toEqual([1, 2]);
    }
    expect(generator.steps.every((s) => s.sampling.seed === 7)).toBe(true);
    rollouts.forEach((r, i) => checkConsistent(r, generator, i, seed));
    expect(rollouts.map((r) => r.finish)).toEqual(["answer", "answer", "answer"]);
  });

  it("holds at most maxLiveSequences sequences in the generator and ends every tool session", async () => {
    const scripts = { [Q_FRANCE]: [["<search>capital of France</search>", "<answer>Paris</answer>"]] };
    const { rollouts, generator, tools, seed } = await run([Q_FRANCE], scripts, config({ groupSize: 5, maxLiveSequences: 2 }));
    expect(generator.maxAlive).toBe(2);
    expect(generator.sequences.length).toBe(5);
    rollouts.forEach((r, i) => checkConsistent(r, generator, i, seed));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(new Set(tools.ended).size).toBe(5);
    expect(new Set(tools.calls.map((c) => c.session)).size).toBe(5);
  });

  it("runs a batch larger than the generator's cache in waves, never over its free slots", async () => {
    const tools = new TableToolRunner(TABLE, { pythonOutput: PY_OUT });
    const generator = new ScriptedGenerator(tok, () => ["<search>capital of France</search>", "<answer>Paris</answer>"], freshSeed());
    generator.slots = 3;
    const rollouts = await runRollouts([Q_FRANCE, Q_OTHER], { generator, tools, tokenizer: tok }, config({ groupSize: 4 }));
    expect(rollouts.map((r) => r.finish)).toEqual(Array(8).fill("answer"));
    expect(generator.maxAlive).toBe(3);
    expect(generator.sequences.length).toBe(8);
  });

  it("runs the tiny format's Python with the question's numbers bound as nums, and keeps the model's own code in the trace", async () => {
    const question = "What is 512 + 389?";
    const code = "print(nums[0] + nums[1])";
    const { rollouts, tools } = await run([question, Q_OTHER], { [question]: [[`<code>${code}</code>`, "<answer>901</answer>"]], [Q_OTHER]: [["<code>print(2 + 2)</code>", "<answer>4</answer>"]] }, config({ format: "tiny" }));
    expect(tools.calls.map((c) => c.call.text).sort()).toEqual([`nums = [512, 389]\n${code}`, "nums = []\nprint(2 + 2)"].sort());
    expect(rollouts[0]!.segments.find((s) => s.kind === "code")?.text).toBe(code);
    const plain = await run([question], { [question]: [[`<code>${code}</code>`, "<answer>901</answer>"]] }, config({ format: "tapo" }));
    expect(plain.tools.calls.map((c) => c.call.text)).toEqual([code]);
  });

  it("rejects with RolloutAbortedError when cancelled and releases every sequence", async () => {
    const controller = new AbortController();
    const tools = new TableToolRunner(TABLE, { pythonOutput: PY_OUT, pythonDelayMs: 20 });
    const generator = new ScriptedGenerator(tok, () => ["<code>print(1)</code>", "<answer>1</answer>"], freshSeed());
    const pending = runRollouts([Q_OTHER], { generator, tools, tokenizer: tok }, config({ groupSize: 2, signal: controller.signal }), (e) => {
      if (e.type === "tool_start") controller.abort();
    });
    await expect(pending).rejects.toBeInstanceOf(RolloutAbortedError);
    expect(generator.sequences.every((s) => s.released)).toBe(true);
  });
});

describe("runRollouts with the Search-R1 and Qwen function-calling presets", () => {
  it("Search-R1: wraps results in <information> and offers no code tool", async () => {
    const script = ["<think>look up</think>\n<search>capital of France</search>", "<code>print(1)</code> <answer>Paris</answer>"];
    const { rollouts, generator, seed, tools } = await run([Q_FRANCE], { [Q_FRANCE]: [script] }, config({ format: "search-r1" }));
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    expect(tools.calls.map((c) => c.call.tool)).toEqual(["search"]);
    const forced = originRuns(r).filter(([o]) => o === "forced");
    expect(forced.map(([, a, b]) => r.tokens.slice(a, b))).toEqual([ids(`\n\n<information>${TABLE["capital of France"]}</information>\n\n`)]);
    expect(r.finish).toBe("answer");
    expect(r.segments.map((s) => s.kind)).toEqual(["think", "search", "response", "text", "answer"]);
    expect(tok.decode(r.tokens.slice(0, r.promptTokens))).toContain("<information>");
  });

  it("Qwen function calling: JSON calls, tool turns in the chat format, tool schemas in the prompt, bad JSON corrected", async () => {
    const call = (name: string, args: object) => `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
    const script = [
      `I should search.\n${call("search", { query: "capital of France" })}`,
      `${call("python", { code: "print(2 + 2)" })}`,
      "<tool_call>\n{not json}\n</tool_call>",
      "<answer>Paris</answer>",
    ];
    const { rollouts, generator, seed, tools } = await run([Q_FRANCE], { [Q_FRANCE]: [script] }, config({ format: "qwen-native" }));
    const r = rollouts[0]!;
    checkConsistent(r, generator, 0, seed);
    const prompt = tok.decode(r.tokens.slice(0, r.promptTokens));
    expect(prompt).toContain("<tools>");
    expect(prompt).toContain('"name": "python"');
    expect(tools.calls.map((c) => c.call)).toEqual([
      { tool: "search", text: "capital of France" },
      { tool: "python", text: "print(2 + 2)" },
    ]);
    const forced = originRuns(r).filter(([o]) => o === "forced");
    const wrap = (out: string) => `<|im_end|>\n<|im_start|>user\n<tool_response>\n${out}\n</tool_response><|im_end|>\n<|im_start|>assistant\n`;
    expect(forced.map(([, a, b]) => r.tokens.slice(a, b))).toEqual([ids(wrap(TABLE["capital of France"]!)), ids(wrap(PY_OUT)), ids(getFormat("qwen-native").corrective)]);
    expect(r.segments.map((s) => s.kind)).toEqual(["text", "search", "response", "code", "response", "text", "response", "answer"]);
    expect(r.segments[6]).toEqual({ kind: "response", tool: "none", text: correctiveCore(getFormat("qwen-native")) });
    expect(r.finish).toBe("answer");
  });
});
