// The bundled tiny model's tokenizer files, in the layout of a Qwen2.5 folder:
// tokenizer.json (Qwen2's NFC normalizer, Split regex and byte-level
// pre-tokenizer, a BPE model of the 256 byte symbols plus merges learned from
// the demonstrations, and added tokens), tokenizer_config.json (ChatML chat
// template, <|im_end|> as eos) and the Qwen2 config.json of the model. The
// chat controls are special added tokens; the format's tags are plain added
// tokens (as Qwen3 adds <think>), so each tag is one id and BPE never splits it.
import { type Qwen2Config, toHfConfigJson } from "../model/config";
import type { RolloutFormat } from "../protocol/format";
import { byteAlphabet, learnMerges, QWEN2_SPLIT_PATTERN } from "./bpe_trainer";
import { bpeModelJson } from "../tokenizer/byte_level";

/** Chat control tokens, in id order after the BPE vocabulary. */
export const TINY_CONTROL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;

/** ChatML: system and user turns, then the generation prompt (the Qwen2.5 layout without tool schemas). */
export const TINY_CHAT_TEMPLATE =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

/** Every tag a format's blocks use: think, tool calls, answer and the tool-response wrapper. */
export function formatTagTokens(format: RolloutFormat): string[] {
  const pairs = [format.think, ...format.calls, format.answer, format.response];
  const tags = pairs.flatMap((p) => [p.open, p.close]).filter((t) => t.length > 0);
  return [...new Set(tags)];
}

export type TinyTokenizerOptions = {
  /** Texts to learn merges from, each with a weight (occurrences). */
  texts: { text: string; weight: number }[];
  /** Total ids: 256 bytes + merges + added tokens (merges fill what is left). */
  vocabSize: number;
  /** Plain added tokens (the format's tags). */
  tags: string[];
};

export type TinyTokenizerFiles = {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Merges actually learned (fewer than room allows when pairs run out). */
  merges: number;
  /** Ids used: highest id + 1 (at most vocabSize; the model's embedding has vocabSize rows). */
  idsUsed: number;
};

type AddedToken = { id: number; content: string; single_word: false; lstrip: false; rstrip: false; normalized: false; special: boolean };

/**
 * Learns the merges and writes both tokenizer files. The ids: bytes 0–255 (in byte order), merged
 * symbols 256…, then the control tokens, then the tags; vocabSize is the highest id + 1 when the
 * texts allow enough merges. Throws RangeError when vocabSize leaves no room for the added tokens.
 */
export function buildTinyTokenizer(opts: TinyTokenizerOptions): TinyTokenizerFiles {
  const addedNames = [...TINY_CONTROL_TOKENS, ...opts.tags];
  const room = opts.vocabSize - 256 - addedNames.length;
  if (room < 0) throw new RangeError(`a vocabulary of ${opts.vocabSize} ids cannot hold 256 bytes and ${addedNames.length} added tokens`);
  const merges = learnMerges(opts.texts, room, addedNames);
  const vocab: Record<string, number> = {};
  byteAlphabet().forEach((ch, b) => (vocab[ch] = b));
  for (const [l, r] of merges) vocab[l + r] ??= Object.keys(vocab).length;
  const first = Object.keys(vocab).length;
  const added: AddedToken[] = addedNames.map((content, i) => ({
    id: first + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: i < TINY_CONTROL_TOKENS.length,
  }));
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false };
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: "NFC" },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [{ type: "Split", pattern: { Regex: QWEN2_SPLIT_PATTERN }, behavior: "Isolated", invert: false }, byteLevel],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: bpeModelJson(vocab, merges),
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(added.map(({ id, ...rest }) => [String(id), rest])),
    additional_special_tokens: ["<|im_start|>", "<|im_end|>"],
    bos_token: null,
    chat_template: TINY_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: "<|im_end|>",
    errors: "replace",
    model_max_length: 4096,
    pad_token: "<|endoftext|>",
    split_special_tokens: false,
    tokenizer_class: "Qwen2Tokenizer",
    unk_token: null,
  };
  return { tokenizerJson, tokenizerConfig, merges: merges.length, idsUsed: first + added.length };
}

/** config.json of the tiny model, with the token ids Qwen2.5's config names. */
export function tinyConfigJson(config: Qwen2Config, files: TinyTokenizerFiles, dtype: "float32" | "float16"): Record<string, unknown> {
  const added = files.tokenizerJson.added_tokens as AddedToken[];
  const id = (name: string) => added.find((t) => t.content === name)?.id;
  return { ...toHfConfigJson(config), bos_token_id: id("<|endoftext|>"), eos_token_id: id("<|im_end|>"), torch_dtype: dtype };
}
