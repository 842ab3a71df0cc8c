// Checks traces as supervised examples with the bundled tiny model's tokenizer (Node, no GPU): the token sequence is the
// rendered prompt, then the segments in the format's tags; exactly the tool responses (wrapped as the runtime wraps them)
// are forced, the rest after the prompt is policy; traces that cannot be demonstrations are left out with the reason.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getFormat, renderPrompt, wrapResponse } from "../rollout/formats";
import type { Segment, Trace } from "../protocol/trace";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { freshSeed, mulberry32 } from "../util/random";
import { traceExamples } from "./trace_examples";

const dir = new URL("../../public/models/tiny/", import.meta.url);
const tokenizer = QwenTokenizer.fromFiles(
  JSON.parse(readFileSync(new URL("tokenizer.json", dir), "utf8")),
  JSON.parse(readFileSync(new URL("tokenizer_config.json", dir), "utf8")),
);
const format = getFormat("tiny");

function trace(segments: Segment[], extra: Partial<Trace> = {}): Trace {
  return { v: 1, model: "tiny", question: "What is 12 + 30?", segments, created: "2026-11-23T00:00:00Z", ...extra };
}

describe("traceExamples", () => {
  it("writes a trace back as the rollout's tokens, with only tool responses forced", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const [a, b] = [Math.floor(rand() * 900) + 10, Math.floor(rand() * 900) + 10];
    const t = trace(
      [
        { kind: "think", text: "I will compute it with Python." },
        { kind: "code", text: `print(${a} * ${b})` },
        { kind: "response", tool: "python", text: String(a * b), ms: 12 },
        { kind: "search", text: `number ${a}` },
        { kind: "response", tool: "search", text: `Doc 1: ${a} is a number.` },
        { kind: "answer", text: String(a * b) },
      ],
      { question: `What is ${a} times ${b}?`, reward: { total: 1, correct: true, format: true, overlong: 0 } },
    );
    const { examples, skipped } = traceExamples([t], tokenizer, format, { maxTurns: 4 });
    expect(skipped).toEqual([]);
    const [ex] = examples;
    const prompt = renderPrompt(format, t.question, tokenizer, 4);
    const code = format.calls.find((c) => c.tool === "python")!;
    const search = format.calls.find((c) => c.tool === "search")!;
    const body =
      `${format.think.open}I will compute it with Python.${format.think.close}${code.open}print(${a} * ${b})${code.close}` +
      wrapResponse(format, String(a * b)) +
      `${search.open}number ${a}${search.close}` +
      wrapResponse(format, `Doc 1: ${a} is a number.`) +
      `${format.answer.open}${a * b}${format.answer.close}`;
    expect(tokenizer.decode(ex!.tokens), `seed ${seed}`).toBe(prompt.text + body);
    expect(ex!.tokens.slice(0, prompt.ids.length)).toEqual(prompt.ids);
    expect(ex!.origins.slice(0, prompt.ids.length).every((o) => o === "prompt")).toBe(true);
    // The forced runs decode to the two wrapped responses, in order; nothing after the prompt is "prompt".
    const runs: string[] = [];
    ex!.origins.forEach((o, i) => {
      if (o !== "forced") return;
      if (i > 0 && ex!.origins[i - 1] === "forced") runs[runs.length - 1] += tokenizer.decode([ex!.tokens[i]!]);
      else runs.push(tokenizer.decode([ex!.tokens[i]!]));
    });
    expect(runs).toEqual([wrapResponse(format, String(a * b)), wrapResponse(format, `Doc 1: ${a} is a number.`)]);
    expect(ex!.origins.slice(prompt.ids.length).includes("prompt")).toBe(false);
  });

  it("leaves out traces that cannot be demonstrations, saying why", () => {
    const answer: Segment = { kind: "answer", text: "42" };
    const traces = [
      trace([answer], { reward: { total: 0, correct: false, format: true, overlong: 0 } }),
      trace([{ kind: "think", text: "hmm" }]),
      trace([{ kind: "code", text: "print(42)" }, answer]),
      trace([{ kind: "response", tool: "python", text: "42" }, answer]),
      trace([answer, { kind: "text", text: "more" }]),
      trace([{ kind: "text", text: "It is " }, answer]),
    ];
    const { examples, skipped } = traceExamples(traces, tokenizer, format, { maxTurns: 4 });
    expect(skipped).toEqual([
      { index: 0, reason: "it was judged wrong" },
      { index: 1, reason: "it has no answer" },
      { index: 2, reason: "segment 0 (code) has no tool response after it" },
      { index: 3, reason: "segment 0 is a tool response without a call before it" },
      { index: 4, reason: "segment 0 is an answer with more segments after it" },
    ]);
    expect(examples).toHaveLength(1);
    expect(tokenizer.decode(examples[0]!.tokens)).toMatch(/It is <answer>42<\/answer>$/);
    // Asked for, a wrong trace is kept.
    expect(traceExamples(traces.slice(0, 1), tokenizer, format, { maxTurns: 4, includeWrong: true }).examples).toHaveLength(1);
  });
});
