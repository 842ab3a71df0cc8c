// Hugging Face tokenizer files rebuilt from a GGUF file's tokenizer metadata
// (tokenizer.ggml.*), so a lone .gguf model gets a working QwenTokenizer through
// the same QwenTokenizer.fromFiles path as a Hugging Face folder.
//
// GGUF token types (llama.cpp's llama_token_type): 1 normal, 2 unknown, 3 control,
// 4 user-defined, 5 unused, 6 byte. Control tokens become special added tokens,
// user-defined ones plain added tokens (both matched whole in text), unused ones
// (the "[PAD…]" rows converters add to fill the embedding) are left out, the rest
// form the BPE vocabulary. Merges are stored "left right", one space between.

import { TokenizerError, UnsupportedTokenizerError } from "./errors";
import { bpeModelJson } from "./byte_level";

/** The tokenizer metadata a GGUF file carries (the GGUF reader fills it from tokenizer.ggml.* keys). */
export type GgufTokenizerMeta = {
  /** tokenizer.ggml.model: "gpt2" for byte-level BPE (Qwen, Llama 3); "llama" is SentencePiece. */
  model: string;
  /** tokenizer.ggml.pre: the pre-tokenizer's name, "qwen2" for Qwen2/Qwen2.5. */
  pre?: string;
  /** tokenizer.ggml.tokens: every token's text, in id order. */
  tokens: string[];
  /** tokenizer.ggml.token_type: one type per token (see the header). */
  tokenTypes?: number[];
  /** tokenizer.ggml.merges: "left right" pairs, highest priority first. */
  merges: string[];
  bosId?: number;
  eosId?: number;
  padId?: number;
  /** tokenizer.chat_template. */
  chatTemplate?: string;
};

const TOKEN_TYPE = { control: 3, userDefined: 4, unused: 5 } as const;

/**
 * Pre-tokenizer split regexes (Oniguruma syntax, as tokenizer.json stores them) by GGUF `pre` name.
 * "qwen2" is the regex of Qwen2/Qwen2.5's tokenizer.json: contractions, letter runs with one leading
 * non-letter, single digits, punctuation runs with trailing newlines, newline runs, spaces.
 */
const SPLIT_REGEX: Record<string, string> = {
  qwen2:
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
};

/** Qwen2's byte-level settings: no prefix space, the regex split happens before. */
const BYTE_LEVEL = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false };

/** The token of `id`, or undefined (with a check that the id exists). */
function tokenAt(tokens: string[], id: number | undefined, key: string): string | undefined {
  if (id === undefined) return undefined;
  const token = tokens[id];
  if (!Number.isInteger(id) || token === undefined) {
    throw new TokenizerError(
      `the GGUF file's ${key} is ${id} but its vocabulary has ${tokens.length} tokens: the file's metadata is ` +
        "inconsistent; convert the model again.",
    );
  }
  return token;
}

/** Whether a token without a type array looks like a control token ("<|im_start|>"). */
function looksControl(token: string): boolean {
  return token.length > 4 && token.startsWith("<|") && token.endsWith("|>");
}

/**
 * Hugging Face tokenizer.json and tokenizer_config.json objects equivalent to a GGUF file's
 * byte-level BPE tokenizer (`meta.tokens`: V strings in id order, `meta.merges`: M pairs). A missing
 * `pre` is taken as "qwen2" (GGUF files converted before llama.cpp recorded it); without token types,
 * tokens shaped "<|…|>" count as control tokens. Throws UnsupportedTokenizerError for another
 * tokenizer model or pre-tokenizer, TokenizerError for inconsistent metadata.
 */
export function tokenizerFilesFromGguf(meta: GgufTokenizerMeta): { tokenizerJson: object; tokenizerConfig: object } {
  if (meta.model !== "gpt2") {
    throw new UnsupportedTokenizerError(
      `the GGUF file's tokenizer is ${JSON.stringify(meta.model)} (tokenizer.ggml.model), not byte-level BPE ("gpt2")`,
    );
  }
  const pre = meta.pre ?? "qwen2";
  const regex = SPLIT_REGEX[pre];
  if (regex === undefined) {
    throw new UnsupportedTokenizerError(
      `the GGUF file's pre-tokenizer is ${JSON.stringify(pre)} (tokenizer.ggml.pre); this app knows ` +
        Object.keys(SPLIT_REGEX).map((k) => JSON.stringify(k)).join(", "),
    );
  }
  const { tokens, tokenTypes } = meta;
  if (tokens.length === 0) {
    throw new TokenizerError("the GGUF file's tokenizer.ggml.tokens is empty: the file is damaged; download it again.");
  }
  if (tokenTypes !== undefined && tokenTypes.length !== tokens.length) {
    throw new TokenizerError(
      `the GGUF file has ${tokens.length} tokens but ${tokenTypes.length} token types: the file's metadata is ` +
        "inconsistent; convert the model again.",
    );
  }

  // No prototype: a token spelled "__proto__" must stay an ordinary key.
  const vocab = Object.create(null) as Record<string, number>;
  const addedTokens: object[] = [];
  for (let id = 0; id < tokens.length; id++) {
    const content = tokens[id] as string;
    const type = tokenTypes?.[id] ?? (looksControl(content) ? TOKEN_TYPE.control : 1);
    if (type === TOKEN_TYPE.unused) continue;
    if (type === TOKEN_TYPE.control || type === TOKEN_TYPE.userDefined) {
      const special = type === TOKEN_TYPE.control;
      addedTokens.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special });
    } else {
      vocab[content] = id;
    }
  }
  const merges = meta.merges.map((m, i) => {
    const cut = m.indexOf(" ");
    if (cut <= 0 || cut === m.length - 1) {
      throw new TokenizerError(
        `the GGUF file's merge ${i} is ${JSON.stringify(m)}, not "left right": the file is damaged; download it again.`,
      );
    }
    return [m.slice(0, cut), m.slice(cut + 1)];
  });

  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: { type: "NFC" },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: regex }, behavior: "Isolated", invert: false },
        BYTE_LEVEL,
      ],
    },
    post_processor: BYTE_LEVEL,
    decoder: BYTE_LEVEL,
    model: bpeModelJson(vocab, merges),
  };
  const eos = tokenAt(tokens, meta.eosId, "tokenizer.ggml.eos_token_id");
  const tokenizerConfig: Record<string, unknown> = {
    add_bos_token: false,
    add_prefix_space: false,
    bos_token: tokenAt(tokens, meta.bosId, "tokenizer.ggml.bos_token_id") ?? null,
    eos_token: eos ?? null,
    pad_token: tokenAt(tokens, meta.padId, "tokenizer.ggml.padding_token_id") ?? eos ?? null,
    clean_up_tokenization_spaces: false,
    errors: "replace",
    split_special_tokens: false,
    unk_token: null,
  };
  if (meta.chatTemplate !== undefined) tokenizerConfig.chat_template = meta.chatTemplate;
  return { tokenizerJson, tokenizerConfig };
}
