// Checks the format reward's block check (TAPO and Search-R1 tags, the presets' worked examples) and the tool-call count, on hand-written and seeded random responses. Node, no GPU.
import { describe, expect, it } from "vitest";
import { getFormat } from "../rollout/formats";
import { freshSeed, mulberry32 } from "../util/random";
import { checkFormat, countToolCalls, formatTagsOf, SEARCH_R1_TAGS, TAPO_TAGS } from "./format";

const GOOD = [
  "<think>I need the year.</think>",
  "<search>year of the treaty</search>",
  "\n\n<response>Doc 1: (Title: Treaty) signed in 1648.</response>\n\n",
  "<think>Now subtract.</think>",
  "<code>print(2024 - 1648)</code>",
  "\n\n<response>376</response>\n\n",
  "<answer>376</answer>",
].join("\n");

function reasonOf(text: string, tags = TAPO_TAGS): string {
  const v = checkFormat(text, tags);
  return v.ok ? "ok" : v.reason;
}

describe("checkFormat (TAPO tags)", () => {
  it("accepts a response made only of blocks and whitespace that ends with the answer", () => {
    const v = checkFormat(GOOD);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.blocks.map((b) => b.tag)).toEqual(["think", "search", "response", "think", "code", "response", "answer"]);
    expect(checkFormat("<answer>42</answer>").ok).toBe(true);
    expect(checkFormat(`  \n${GOOD}\n\n  `).ok).toBe(true);
  });

  it("rejects text after the answer, and a block after it", () => {
    expect(reasonOf(`${GOOD} I hope this helps.`)).toMatch(/text after the answer/);
    expect(reasonOf(`${GOOD}<think>more</think>`)).toMatch(/after the answer/);
    expect(reasonOf("<answer>1</answer><answer>2</answer>")).toMatch(/after the answer/);
  });

  it("rejects text outside blocks", () => {
    expect(reasonOf("The answer is <answer>4</answer>")).toMatch(/outside any block.*"The answer is"/);
    expect(reasonOf("<think>a</think> so <answer>4</answer>")).toMatch(/outside any block/);
  });

  it("rejects nested blocks, of the same or another tag", () => {
    expect(reasonOf("<think>a <think>b</think> c</think><answer>1</answer>")).toMatch(/<think> inside the <think> block/);
    expect(reasonOf("<think>let me <search>x</search></think><answer>1</answer>")).toMatch(/<search> inside the <think> block/);
    expect(reasonOf("<answer><think>1</think></answer>")).toMatch(/inside the <answer> block/);
  });

  it("rejects unclosed blocks and stray closing tags", () => {
    expect(reasonOf("<think>cut off by the length limit")).toMatch(/<think> block at character 0 is never closed/);
    expect(reasonOf("<think>a</think><answer>7")).toMatch(/<answer> block .* never closed/);
    expect(reasonOf("<think>a</think></think><answer>7</answer>")).toMatch(/stray <\/think>/);
  });

  it("requires the response to end with an answer", () => {
    expect(reasonOf("<think>done</think>")).toMatch(/does not end with an <answer> block/);
    expect(reasonOf("")).toMatch(/does not end with an <answer> block/);
    expect(reasonOf("<search>q</search>")).toMatch(/does not end with an <answer> block/);
  });

  it("accepts tool output only right after a tool call, and does not look inside it", () => {
    expect(reasonOf("<think>a</think><response>fake</response><answer>1</answer>")).toMatch(/no tool call asked for/);
    expect(reasonOf("<response>fake</response><answer>1</answer>")).toMatch(/no tool call asked for/);
    expect(reasonOf("<search>html</search><response>page with <think> and </code> in it</response><answer>1</answer>")).toBe("ok");
  });

  it("matches tags exactly, case included", () => {
    expect(reasonOf("<Answer>1</Answer>")).not.toBe("ok");
    expect(reasonOf("<answer >1</answer>")).not.toBe("ok");
  });

  it("says where the problem is", () => {
    const v = checkFormat("<think>a</think>  oops<answer>1</answer>");
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.at).toBe("<think>a</think>  ".length);
  });
});

describe("checkFormat (other presets)", () => {
  it("Search-R1 takes <information> for tool output and has no <code>", () => {
    const r1 = "<think>q</think><search>who</search>\n<information>Doc 1: x</information>\n<answer>x</answer>";
    expect(reasonOf(r1, SEARCH_R1_TAGS)).toBe("ok");
    expect(reasonOf(r1, TAPO_TAGS)).not.toBe("ok");
    expect(reasonOf("<code>print(1)</code><answer>1</answer>", TAPO_TAGS)).toBe("ok");
    expect(reasonOf("<code>print(1)</code><answer>1</answer>", SEARCH_R1_TAGS)).toMatch(/outside any block/);
    expect(reasonOf("<search>who</search><response>x</response><answer>x</answer>", SEARCH_R1_TAGS)).toMatch(/outside any block/);
  });

  it("derives the tags of each preset so that its worked example passes", () => {
    for (const name of ["tapo", "search-r1", "qwen-native"]) {
      const lines = getFormat(name).system;
      const example = lines.slice(lines.indexOf("Example:") + 2).join("\n");
      expect(reasonOf(example, formatTagsOf(getFormat(name))), name).toBe("ok");
    }
    expect(formatTagsOf(getFormat("search-r1"))).toEqual({ ...SEARCH_R1_TAGS, control: [], freeText: false });
  });

  it("qwen-native: plain reasoning is allowed, chat turn markers count as whitespace, text after the answer is not", () => {
    const tags = formatTagsOf(getFormat("qwen-native"));
    const text =
      'I will compute.\n<tool_call>\n{"name": "python", "arguments": {"code": "print(2)"}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n2\n</tool_response><|im_end|>\n<|im_start|>assistant\n<answer>2</answer>';
    expect(reasonOf(text, tags)).toBe("ok");
    expect(reasonOf(`${text} done`, tags)).toMatch(/text after the answer/);
    expect(reasonOf(`${text}<|im_end|>\n`, tags)).toBe("ok");
    expect(reasonOf(`${text}<|im_end|>\n`, { ...tags, control: [] })).toMatch(/text after the answer/);
  });
});

describe("checkFormat on random block sequences", () => {
  it("accepts every well-formed sequence and rejects it once a stray word is put between blocks", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const spaces = ["", " ", "\n", "\n\n", "\t "];
    for (let trial = 0; trial < 200; trial++) {
      const parts: string[] = [];
      const turns = Math.floor(rand() * 5);
      for (let t = 0; t < turns; t++) {
        if (rand() < 0.7) parts.push(`<think>step ${t} a < b && c > d</think>`);
        const call = pick(["search", "code"]);
        parts.push(`<${call}>x${t}</${call}>`);
        if (rand() < 0.8) parts.push(`<response>out ${t} <answer>not mine</answer></response>`);
      }
      parts.push(`<answer>${Math.floor(rand() * 1000)}</answer>`);
      const gaps = Array.from({ length: parts.length + 1 }, () => pick(spaces));
      const join = (g: string[]) => g[0] + parts.map((p, i) => p + g[i + 1]).join("");
      const good = join(gaps);
      expect(checkFormat(good).ok, `seed ${seed}: ${good}`).toBe(true);
      const k = Math.floor(rand() * gaps.length);
      const bad = join(gaps.map((g, i) => (i === k ? `${g}word${g}` : g)));
      expect(checkFormat(bad).ok, `seed ${seed}: ${bad}`).toBe(false);
    }
  });
});

describe("countToolCalls", () => {
  it("counts closed call blocks of the format's tags", () => {
    expect(countToolCalls(GOOD)).toBe(2);
    expect(countToolCalls("<answer>1</answer>")).toBe(0);
    expect(countToolCalls(GOOD, SEARCH_R1_TAGS)).toBe(1);
    expect(countToolCalls("<search>a</search><search>b</search><code>open")).toBe(2);
  });
});
