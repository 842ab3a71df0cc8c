// Checks the rollout format presets: each loads, its prompt states the rules and a worked example that parses into the blocks it teaches, tool calls parse or are refused with a reason, and tool output is cut to a token budget (real Qwen tokenizer). Node, no GPU.
import { describe, expect, it } from "vitest";
import { loadShippedQwenFiles } from "../tokenizer/testing_files";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { freshSeed, mulberry32 } from "../util/random";
import { FORMAT_NAMES, forcedAfterTail, getFormat, parseCall, renderPrompt, systemPrompt, truncateToTokens, UnknownFormatError } from "./formats";
import { parseSegments } from "./segments";

const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
const tok = QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);

/** The worked example of a preset's system prompt: the lines after "Example:" and its question line. */
function example(name: string): string {
  const lines = getFormat(name).system;
  return lines.slice(lines.indexOf("Example:") + 2).join("\n");
}

describe("format presets", () => {
  it("offers the four presets and refuses an unknown name", () => {
    expect(FORMAT_NAMES).toEqual(["tapo", "search-r1", "qwen-native", "tiny"]);
    expect(() => getFormat("react")).toThrow(UnknownFormatError);
    expect(() => getFormat("react")).toThrow(/pick one of tapo, search-r1, qwen-native, tiny/);
  });

  it("states each tag and the tool limit in the system prompt", () => {
    for (const name of FORMAT_NAMES) {
      const f = getFormat(name);
      const text = systemPrompt(f, 3);
      expect(text, name).toContain("at most 3 times");
      expect(text, name).not.toContain("{maxTurns}");
      for (const tag of [f.answer.open, f.answer.close, f.response.open, ...f.calls.map((c) => c.open)]) expect(text, `${name} ${tag}`).toContain(tag);
    }
  });

  it("teaches TAPO with two searches, one code block, then the answer", () => {
    const kinds = parseSegments(example("tapo"), getFormat("tapo")).map((s) => s.kind);
    expect(kinds.filter((k) => k !== "think")).toEqual(["search", "response", "search", "response", "code", "response", "answer"]);
    const native = parseSegments(example("qwen-native"), getFormat("qwen-native")).map((s) => s.kind);
    expect(native.filter((k) => k !== "text")).toEqual(["search", "response", "search", "response", "code", "response", "answer"]);
    const r1 = parseSegments(example("search-r1"), getFormat("search-r1")).map((s) => s.kind);
    expect(r1.filter((k) => k !== "think")).toEqual(["search", "response", "search", "response", "answer"]);
  });

  it("renders system + user with the generation prompt, and tool schemas for function calling", () => {
    for (const name of FORMAT_NAMES) {
      const { text, ids } = renderPrompt(getFormat(name), "Why is the sky blue?", tok, 4);
      expect(tok.decode(ids)).toBe(text);
      expect(text.startsWith("<|im_start|>system\n")).toBe(true);
      expect(text).toContain("<|im_start|>user\nQuestion: Why is the sky blue?<|im_end|>");
      expect(text.endsWith("<|im_start|>assistant\n")).toBe(true);
      expect(text.includes("<tools>"), name).toBe(name === "qwen-native");
    }
  });
});

describe("parseCall", () => {
  it("takes tagged calls as their trimmed text and refuses empty ones", () => {
    const f = getFormat("tapo");
    expect(parseCall(f, f.calls[1]!, "\nprint(1)\n")).toEqual({ tool: "python", text: "print(1)" });
    expect(parseCall(f, f.calls[0]!, "  ")).toHaveProperty("invalid");
  });

  it("reads JSON calls by function name and says why a bad one is refused", () => {
    const f = getFormat("qwen-native");
    const tag = f.calls[0]!;
    expect(parseCall(f, tag, '{"name": "search", "arguments": {"query": "q"}}')).toEqual({ tool: "search", text: "q" });
    expect(parseCall(f, tag, "{oops")).toEqual({ invalid: "the tool call is not JSON" });
    expect(parseCall(f, tag, '{"name": "shell", "arguments": {}}')).toEqual({ invalid: 'unknown function "shell"' });
    expect(parseCall(f, tag, '{"name": "python", "arguments": {"src": "1"}}')).toMatchObject({ invalid: expect.stringContaining('"code"') });
    expect(parseCall(f, tag, "null")).toHaveProperty("invalid");
  });
});

describe("truncateToTokens and forcedAfterTail", () => {
  it("keeps a prefix of at most the budget in tokens, never splitting a character", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const pieces = ["word ", "数字", "🤗", " 42", "\n", "ünï"];
    let text = "";
    for (let i = 0; i < 200; i++) text += pieces[Math.floor(rand() * pieces.length)];
    const total = tok.encode(text).length;
    for (const budget of [0, 1, 7, 50, total - 1, total, total + 5]) {
      const { text: kept, cut } = truncateToTokens(text, budget, tok);
      expect(text.startsWith(kept), `seed ${seed}, budget ${budget}`).toBe(true);
      expect(tok.encode(kept).length, `seed ${seed}, budget ${budget}`).toBeLessThanOrEqual(Math.max(0, budget));
      expect(kept.includes("\uFFFD")).toBe(false);
      expect(cut).toBe(budget < total);
      if (budget >= total) expect(kept).toBe(text);
    }
  });

  it("drops from the forced text only a start the tail already wrote", () => {
    expect(forcedAfterTail("\n\n<response>x", "\n\n")).toBe("<response>x");
    expect(forcedAfterTail("\n\n<response>x", "\n")).toBe("\n<response>x");
    expect(forcedAfterTail("\n\n<response>x", ".")).toBe("\n\n<response>x");
    expect(forcedAfterTail("\n\n<response>x", "")).toBe("\n\n<response>x");
  });
});
