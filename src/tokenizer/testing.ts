// Test helpers for the tokenizer (no Node or browser APIs): sample texts that mix scripts,
// code and whitespace, a seeded random text generator, and GPT-2's byte-to-character map
// written from its definition, to check byte-level tokens independently of the library.
import { byteLevelAlphabet } from "./byte_level";

/** Texts covering what the tokenizer must round-trip: prose, code, digits, CJK, emoji, whitespace runs. */
export const MIXED_TEXTS: string[] = [
  "Hello world",
  "The quick brown fox jumps over the lazy dog. It's 12:45, isn't it?",
  "def area(r):\n    return 3.14159 * r ** 2\n\n\tif x:\n\t\tpass  # tabs\n",
  "Order #20240917 costs $1,234.56 (tax 7%) — 1e-9, 0x1F, -42.",
  "你好，世界！我们今天学习分词器。",
  "日本語のテキストと한국어 텍스트",
  "Emoji: 🤗 👍🏽 👨‍👩‍👧 🇫🇷 ✅",
  "   leading spaces, trailing spaces   ",
  "spaces before punctuation : a , b . c ! d ? they 're do n't",
  "a\n\n\nb\r\nc\t\t d     e\n \n",
  "Ünïcödé façade naïve résumé Привет мир مرحبا",
  "<think>\nplan\n</think>\n<tool_call>\n{\"name\": \"python\"}\n</tool_call>",
];

/** Pieces random texts are made of: all NFC-stable, none spelling an added token. */
const PIECES = [
  "the", " cat", "Hello", " world", "x", "_id", "camelCase", "ALLCAPS", "'s", "'ll", "don't",
  "0", "7", "42", "2024", "3.14", "1,000", "+", "-", "*", "/", "==", "=>", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".",
  "!", "?", "\"", "'", "#", "@", "$", "%", "&", "|", "\\", "`", "~", "^", "<", ">",
  " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", " \n",
  "你", "好", "世界", "中文", "日本", "한국", "é", "ñ", "ü", "ß", "Ж", "ω", "م", "ש", "ก", "€", "°", "…", "—",
  "🤗", "👍", "👍🏽", "👨‍👩‍👧", "🚀", "😀",
];

/** A random text of `n` pieces drawn with `rand` (floats in [0, 1)). */
export function randomMixedText(rand: () => number, n: number): string {
  let text = "";
  for (let i = 0; i < n; i++) text += PIECES[Math.floor(rand() * PIECES.length)];
  return text;
}

export { byteLevelAlphabet } from "./byte_level";

/** The vocabulary spelling of `text`'s UTF-8 bytes ("Ġworld" for " world"). */
export function byteLevelSpelling(text: string): string {
  const map = byteLevelAlphabet();
  return Array.from(new TextEncoder().encode(text), (b) => map[b]).join("");
}

/**
 * A tiny byte-level BPE tokenizer.json: the 256 byte characters as ids 0–255, one merge ("h" "i" → 256),
 * and <|endoftext|> (257) as a special added token. For tests that need a valid file but not Qwen's 7 MB.
 */
export function tinyByteLevelTokenizerJson(): object {
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true };
  const vocab: Record<string, number> = {};
  byteLevelAlphabet().forEach((char, b) => (vocab[char] = b));
  vocab["hi"] = 256;
  return {
    version: "1.0",
    added_tokens: [{ id: 257, content: "<|endoftext|>", special: true, normalized: false, lstrip: false, rstrip: false }],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: "BPE", vocab, merges: [["h", "i"]], unk_token: null },
  };
}

/** The same tiny tokenizer as GGUF tokenizer metadata (tokenizer.ggml.*), for tests of .gguf models. */
export function tinyByteLevelGgufMeta(): { model: string; pre: string; tokens: string[]; tokenTypes: number[]; merges: string[]; eosId: number } {
  const tokens = [...byteLevelAlphabet(), "hi", "<|endoftext|>"];
  return { model: "gpt2", pre: "qwen2", tokens, tokenTypes: tokens.map((_, i) => (i === 257 ? 3 : 1)), merges: ["h i"], eosId: 257 };
}

/** A minimal ChatML chat template (system/user turns, then the generation prompt), for test tokenizers without one. */
export const CHATML_TEMPLATE =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
