// The tokenizer fields of a GGUF's metadata (tokenizer.ggml.*, and the chat
// template), as plain values; the tokenizer code turns them into a tokenizer.
import type { GgufHeader, GgufValue } from "../formats/gguf";
import type { GgufTokenizerMeta } from "../tokenizer/from_gguf";

/** The plain tokenizer fields; the type lives with the code that turns them into a tokenizer. */
export type GgufTokenizerMetadata = GgufTokenizerMeta;

/** A GGUF without the tokenizer metadata the app needs. */
export class GgufTokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GgufTokenizerError";
  }
}

function stringArray(v: GgufValue | undefined, key: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new GgufTokenizerError(`GGUF metadata "${key}" should be an array of strings: the tokenizer metadata is corrupt`);
  }
  return v as string[];
}

function optionalId(header: GgufHeader, key: string): number | undefined {
  const v = header.metadata.get(key);
  if (v === undefined) return undefined;
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new GgufTokenizerError(`GGUF metadata "${key}" should be a token id, but holds ${JSON.stringify(String(v))}`);
  }
  return n;
}

function optionalString(header: GgufHeader, key: string): string | undefined {
  const v = header.metadata.get(key);
  return typeof v === "string" ? v : undefined;
}

/**
 * The tokenizer fields of a GGUF header. Throws GgufTokenizerError when the
 * model name or token list is missing, or a BPE ("gpt2") tokenizer has no merges.
 */
export function ggufTokenizerMetadata(header: GgufHeader, file = "the GGUF file"): GgufTokenizerMetadata {
  const model = header.metadata.get("tokenizer.ggml.model");
  const tokens = stringArray(header.metadata.get("tokenizer.ggml.tokens"), "tokenizer.ggml.tokens");
  if (typeof model !== "string" || !tokens) {
    throw new GgufTokenizerError(
      `${file} has no tokenizer (${typeof model !== "string" ? "tokenizer.ggml.model" : "tokenizer.ggml.tokens"} is missing from its metadata): ` +
        "convert the model again with llama.cpp's convert_hf_to_gguf.py, which embeds the tokenizer, or use the Hugging Face folder.",
    );
  }
  const merges = stringArray(header.metadata.get("tokenizer.ggml.merges"), "tokenizer.ggml.merges") ?? [];
  if (model === "gpt2" && merges.length === 0) {
    throw new GgufTokenizerError(
      `${file} has a BPE tokenizer without merges (tokenizer.ggml.merges is missing): convert the model again with llama.cpp.`,
    );
  }
  const types = header.metadata.get("tokenizer.ggml.token_type");
  let tokenTypes: number[] | undefined;
  if (types !== undefined) {
    if (!Array.isArray(types) || types.some((t) => typeof t !== "number")) {
      throw new GgufTokenizerError('GGUF metadata "tokenizer.ggml.token_type" should be an array of integers: the tokenizer metadata is corrupt');
    }
    tokenTypes = types as number[];
  }
  const out: GgufTokenizerMetadata = { model, tokens, merges };
  const pre = optionalString(header, "tokenizer.ggml.pre");
  if (pre !== undefined) out.pre = pre;
  if (tokenTypes) out.tokenTypes = tokenTypes;
  const bosId = optionalId(header, "tokenizer.ggml.bos_token_id");
  if (bosId !== undefined) out.bosId = bosId;
  const eosId = optionalId(header, "tokenizer.ggml.eos_token_id");
  if (eosId !== undefined) out.eosId = eosId;
  const padId = optionalId(header, "tokenizer.ggml.padding_token_id");
  if (padId !== undefined) out.padId = padId;
  const chatTemplate = optionalString(header, "tokenizer.chat_template");
  if (chatTemplate !== undefined) out.chatTemplate = chatTemplate;
  return out;
}
