// Checks the tiny tokenizer builder (Node, no GPU): files written as a Hugging Face folder load through the same loadTokenizer path as Qwen2.5's, text round-trips (prose, digits, code, unicode, chat controls), every format tag and control is one id, merges are learned from the texts and deterministic, ids stay inside the vocabulary, and the chat template renders ChatML.
import { describe, expect, it } from "vitest";
import { loadTokenizer } from "../loader/load_tokenizer";
import { memoryFileSet } from "../loader/hf_testing";
import { parseQwen2Config } from "../model/config";
import { tinyConfig } from "../model/testing";
import { getFormat, renderPrompt } from "../rollout/formats";
import { MIXED_TEXTS, randomMixedText } from "../tokenizer/testing";
import { freshSeed, mulberry32 } from "../util/random";
import { learnMerges, preTokenize } from "./bpe_trainer";
import { buildTinyTokenizer, formatTagTokens, TINY_CONTROL_TOKENS, tinyConfigJson } from "./tokenizer_builder";

const format = getFormat("tiny");
const TEXTS = [
  "<think>I will search for it.</think><search>Tufaesk Clulaebis</search>\n<response>Doc 1: (Title: Tufaesk Clulaebis) Tufaesk Clulaebis (born 1724) is a judge.</response>\n<answer>1724</answer>",
  "<think>I will compute it with Python.</think><code>print(8755801*49298084)</code>\n<response>431644213185284\n</response>\n<answer>431644213185284</answer>",
  "Question: In which year was the city of Futhaeso founded? The city of Futhaeso, in Ceiclos, was founded in 1540.",
].map((text) => ({ text, weight: 20 }));

async function loaded(vocabSize = 400) {
  const files = buildTinyTokenizer({ texts: TEXTS, vocabSize, tags: formatTagTokens(format) });
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const set = memoryFileSet(
    "tiny",
    new Map([
      ["tokenizer.json", enc(files.tokenizerJson)],
      ["tokenizer_config.json", enc(files.tokenizerConfig)],
      ["config.json", enc(tinyConfigJson(tinyConfig({ vocab: vocabSize }), files, "float32"))],
    ]),
  );
  return { files, tokenizer: await loadTokenizer(set), set };
}

describe("buildTinyTokenizer", () => {
  it("loads through loadTokenizer and round-trips text exactly", async () => {
    const { tokenizer } = await loaded();
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const texts = [...TEXTS.map((t) => t.text), ...MIXED_TEXTS, randomMixedText(rand, 200), "<|im_start|>user\nhi<|im_end|>\n"];
    for (const text of texts) {
      const ids = tokenizer.encode(text, { addSpecialTokens: false });
      expect(ids.every((id) => id >= 0 && id < 400), `ids of ${JSON.stringify(text)}`).toBe(true);
      expect(tokenizer.decode(ids), `seed ${seed}`).toBe(text.normalize("NFC"));
    }
  });

  it("makes each format tag and chat control one token id", async () => {
    const { tokenizer } = await loaded();
    const tags = formatTagTokens(format);
    expect(tags).toEqual(["<think>", "</think>", "<search>", "</search>", "<code>", "</code>", "<answer>", "</answer>", "<response>", "</response>"]);
    const ids = new Set<number>();
    for (const tag of [...tags, ...TINY_CONTROL_TOKENS]) {
      const got = tokenizer.encode(tag, { addSpecialTokens: false });
      expect(got, tag).toHaveLength(1);
      expect(tokenizer.specialTokens.get(tag), tag).toBe(got[0]);
      // Glued to text on both sides, the tag still comes out whole.
      expect(tokenizer.encode(`x${tag}y`, { addSpecialTokens: false }), tag).toContain(got[0]);
      ids.add(got[0]!);
    }
    expect(ids.size).toBe(tags.length + TINY_CONTROL_TOKENS.length);
    expect(tokenizer.eosTokenId).toBe(tokenizer.specialTokens.get("<|im_end|>"));
    expect(tokenizer.stopTokenIds).toContain(tokenizer.specialTokens.get("<|endoftext|>"));
  });

  it("learns merges from the texts, so they take fewer tokens than bytes", async () => {
    const { tokenizer, files } = await loaded();
    // Three short texts run out of pairs before the room (400 − 256 bytes − 13 added) is full.
    expect(files.merges).toBeGreaterThan(50);
    expect(files.merges).toBeLessThanOrEqual(400 - 256 - 13);
    expect(tokenizer.vocabSize).toBe(files.idsUsed);
    expect(files.idsUsed).toBeLessThanOrEqual(400);
    const text = TEXTS[0]!.text;
    expect(tokenizer.encode(text, { addSpecialTokens: false }).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
    // Digits stay single (Qwen2's split), so numbers are spelt digit by digit.
    expect(tokenizer.encode("431644213185284", { addSpecialTokens: false })).toHaveLength(15);
  });

  it("learns the same merges from the same texts, and picks the most frequent pair first", () => {
    const a = learnMerges(TEXTS, 50, TINY_CONTROL_TOKENS);
    expect(learnMerges(TEXTS, 50, TINY_CONTROL_TOKENS)).toEqual(a);
    expect(learnMerges([{ text: "abab abab cd", weight: 1 }], 1, [])).toEqual([["a", "b"]]);
    expect(preTokenize("Hi there, 42!", [])).toEqual(["Hi", "Ġthere", ",", "Ġ", "4", "2", "!"]);
  });

  it("renders the format's prompt with the ChatML template and writes a Qwen2 config.json", async () => {
    const { tokenizer, files } = await loaded();
    const { text, ids } = renderPrompt(format, "What is 2 + 3?", tokenizer, 4);
    expect(text).toBe(
      "<|im_start|>system\nUse <search> and <code> at most 4 times; results come in <response>. In <code>, nums holds the question's numbers. Answer in <answer></answer>.<|im_end|>\n" +
        "<|im_start|>user\nQuestion: What is 2 + 3?<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(tokenizer.decode(ids)).toBe(text);
    const config = tinyConfigJson(tinyConfig({ vocab: 400 }), files, "float16");
    expect(parseQwen2Config(config).vocab).toBe(400);
    expect(config.eos_token_id).toBe(tokenizer.eosTokenId);
    expect(config.torch_dtype).toBe("float16");
  });

  it("refuses a vocabulary too small for the bytes and added tokens", () => {
    expect(() => buildTinyTokenizer({ texts: TEXTS, vocabSize: 260, tags: formatTagTokens(format) })).toThrow(/cannot hold 256 bytes and 13 added tokens/);
  });
});
