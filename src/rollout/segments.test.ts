// Checks the pure text functions of the rollout loop on hand-written texts: which closing tag ends a turn, and the split into Trace segments for all three presets, malformed texts included. Node, no GPU.
import { describe, expect, it } from "vitest";
import { getFormat } from "./formats";
import { blockInner, correctiveCore, findStopTag, parseSegments } from "./segments";

const tapo = getFormat("tapo");
const r1 = getFormat("search-r1");
const native = getFormat("qwen-native");

describe("findStopTag", () => {
  it("finds the tag that ends in the new text, checking </search>, </code>, then </answer>", () => {
    const text = "<answer>1</answer><code>x</code><search>q</search>";
    expect(findStopTag(text, 0, tapo)).toMatchObject({ kind: "call", tag: { tool: "search" }, start: text.indexOf("</search>") });
    expect(findStopTag("<answer>1</answer><code>x</code>", 0, tapo)).toMatchObject({ kind: "call", tag: { tool: "python" } });
    const answer = findStopTag("<answer>1</answer>", 0, tapo);
    expect(answer).toMatchObject({ kind: "answer", start: 9, end: 18 });
  });

  it("sees a tag completed across the old and new text but not one wholly before `from`", () => {
    const text = "a</sea" + "rch> b";
    expect(findStopTag(text, 6, tapo)).toMatchObject({ start: 1, end: 10 });
    expect(findStopTag("a</search> b</code>", 12, tapo)).toMatchObject({ tag: { tool: "python" } });
    expect(findStopTag("plain text <search>open", 0, tapo)).toBeUndefined();
  });

  it("ignores closing tags the format does not have", () => {
    expect(findStopTag("<code>1</code>", 0, r1)).toBeUndefined();
    expect(findStopTag("</search>", 0, native)).toBeUndefined();
    expect(findStopTag("<tool_call>{}</tool_call>", 0, native)).toMatchObject({ kind: "call", end: 25 });
  });
});

describe("blockInner", () => {
  it("takes the text after the last opening tag before the close, or undefined without one", () => {
    expect(blockInner("<search>a</search><search>b</search>", "<search>", 27)).toBe("b");
    expect(blockInner("<think>x</think></search>", "<search>", 16)).toBeUndefined();
  });
});

describe("parseSegments", () => {
  it("splits a well-formed TAPO rollout", () => {
    const text = "<think>plan</think>\n<search> q1 </search>\n\n<response>Doc 1: a</response>\n\n<code>print(1)</code>\n\n<response>1\n</response>\n\n<answer> 1 </answer>";
    expect(parseSegments(text, tapo)).toEqual([
      { kind: "think", text: "plan" },
      { kind: "search", text: "q1" },
      { kind: "response", tool: "search", text: "Doc 1: a" },
      { kind: "code", text: "print(1)" },
      { kind: "response", tool: "python", text: "1\n" },
      { kind: "answer", text: "1" },
    ]);
  });

  it("keeps stray text, stray closing tags and an unclosed final block", () => {
    expect(parseSegments("Hello </search> world <think>never closed", tapo)).toEqual([
      { kind: "text", text: "Hello </search> world" },
      { kind: "think", text: "never closed" },
    ]);
    expect(parseSegments("<answer>4</answer>. Extra", tapo)).toEqual([
      { kind: "answer", text: "4" },
      { kind: "text", text: ". Extra" },
    ]);
    expect(parseSegments("", tapo)).toEqual([]);
    expect(parseSegments("  \n\n ", tapo)).toEqual([]);
    expect(parseSegments("<response>orphan</response>", tapo)).toEqual([{ kind: "response", tool: "none", text: "orphan" }]);
  });

  it("ends an unclosed block where the next block or the corrective message starts: nothing is swallowed", () => {
    // A search inside a think was run by the runtime at its </search>: a segment of its own, with its response.
    expect(parseSegments("<think>a <search>b</search>\n\n<response>Doc 1: z</response>\n\n c</think><answer>d</answer>", tapo)).toEqual([
      { kind: "think", text: "a" },
      { kind: "search", text: "b" },
      { kind: "response", tool: "search", text: "Doc 1: z" },
      { kind: "text", text: "c</think>" },
      { kind: "answer", text: "d" },
    ]);
    // A think never closed, the runtime's correction, then the answer: three segments, the answer shown.
    expect(parseSegments(`<think>I know it${tapo.corrective}<answer>42</answer>`, tapo)).toEqual([
      { kind: "think", text: "I know it" },
      { kind: "response", tool: "none", text: correctiveCore(tapo) },
      { kind: "answer", text: "42" },
    ]);
    // A stray answer inside an unclosed search query.
    expect(parseSegments("<search>who <answer>Kabel</answer>", tapo)).toEqual([
      { kind: "search", text: "who" },
      { kind: "answer", text: "Kabel" },
    ]);
    // Tags only named inside a block (they close later, or never) cut nothing: no phantom call or answer.
    expect(parseSegments("<think>I must use <search> to look it up</think><search>Zorblat</search>", tapo)).toEqual([
      { kind: "think", text: "I must use <search> to look it up" },
      { kind: "search", text: "Zorblat" },
    ]);
    expect(parseSegments("<think>write it in <answer> tags</think><answer>5</answer>", tapo)).toEqual([
      { kind: "think", text: "write it in <answer> tags" },
      { kind: "answer", text: "5" },
    ]);
    // A tool response holds the runtime's text: tags printed by the code stay inside it.
    expect(parseSegments("<code>print(chr(60) + 'think>9')</code>\n\n<response><think>9\n</response>\n\n<answer>9</answer>", tapo)).toEqual([
      { kind: "code", text: "print(chr(60) + 'think>9')" },
      { kind: "response", tool: "python", text: "<think>9\n" },
      { kind: "answer", text: "9" },
    ]);
  });

  it("recognises the corrective message as a response of no tool", () => {
    const text = `</code>${tapo.corrective}<answer>x</answer>`;
    expect(parseSegments(text, tapo)).toEqual([
      { kind: "text", text: "</code>" },
      { kind: "response", tool: "none", text: correctiveCore(tapo) },
      { kind: "answer", text: "x" },
    ]);
  });

  it("Search-R1: <information> blocks are responses and <code> is plain text", () => {
    expect(parseSegments("<search>q</search>\n\n<information>Doc</information>\n\n<code>1</code><answer>a</answer>", r1)).toEqual([
      { kind: "search", text: "q" },
      { kind: "response", tool: "search", text: "Doc" },
      { kind: "text", text: "<code>1</code>" },
      { kind: "answer", text: "a" },
    ]);
  });

  it("Qwen function calling: JSON calls by function name, tool turns without control tokens, bad calls as text", () => {
    const text =
      'Let me look.\n<tool_call>\n{"name": "search", "arguments": {"query": "capital"}}\n</tool_call>' +
      "<|im_end|>\n<|im_start|>user\n<tool_response>\nParis\n</tool_response><|im_end|>\n<|im_start|>assistant\n" +
      '<tool_call>{"name": "python", "arguments": {"code": "print(1)"}}</tool_call>' +
      '<tool_call>{"name": "shell", "arguments": {}}</tool_call><tool_call>{oops</tool_call>' +
      native.corrective +
      "<answer>Paris</answer>";
    expect(parseSegments(text, native)).toEqual([
      { kind: "text", text: "Let me look." },
      { kind: "search", text: "capital" },
      { kind: "response", tool: "search", text: "Paris" },
      { kind: "code", text: "print(1)" },
      { kind: "text", text: '<tool_call>{"name": "shell", "arguments": {}}</tool_call>' },
      { kind: "text", text: "<tool_call>{oops</tool_call>" },
      { kind: "response", tool: "none", text: correctiveCore(native) },
      { kind: "answer", text: "Paris" },
    ]);
  });

  it("Qwen function calling: a call cut before its closing tag stays text", () => {
    expect(parseSegments('<tool_call>\n{"name": "search"', native)).toEqual([{ kind: "text", text: '<tool_call>\n{"name": "search"' }]);
  });
});
