// The tokenizer of an export in both directions: a Hugging Face folder's
// tokenizer.json + tokenizer_config.json as GGUF tokenizer.ggml.* metadata
// (as llama.cpp's convert_hf_to_gguf.py fills it for Qwen2: byte-level BPE
// "gpt2", pre "qwen2", one token per embedding row with "[PAD<id>]" rows of
// type UNUSED past the tokenizer, merges "left right"), and a GGUF's metadata
// as Hugging Face files (through the tokenizer's own converter).
import type { GgufTokenizerMeta } from "../tokenizer/from_gguf";
import { ExportError } from "./errors";

/** llama.cpp's token types (gguf-py TokenType). */
export const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;

type AddedToken = { id: number; content: string; special?: boolean };
type TokenizerJson = { added_tokens?: AddedToken[]; model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] } };

/** A token's text in tokenizer_config.json: a string, or an AddedToken object with "content". */
function tokenText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as { content?: unknown }).content === "string") return (v as { content: string }).content;
  return undefined;
}

/**
 * GGUF tokenizer metadata for a Hugging Face Qwen2 tokenizer whose model has
 * `vocab` embedding rows. Special ids: bos from tokenizer_config's bos_token,
 * else config.json's bos_token_id; eos and pad from tokenizer_config (pad
 * falls back to eos); the chat template from tokenizer_config (or the
 * separate chat_template.jinja).
 */
export function ggufTokenizerFromHf(
  tokenizerJson: unknown,
  tokenizerConfig: Record<string, unknown>,
  configJson: Record<string, unknown>,
  vocab: number,
  chatTemplate?: string,
): GgufTokenizerMeta {
  const tj = tokenizerJson as TokenizerJson;
  const model = tj.model;
  if (!model || model.type !== "BPE" || typeof model.vocab !== "object" || !Array.isArray(model.merges)) {
    throw new ExportError(`tokenizer.json holds a ${JSON.stringify(model?.type ?? "missing")} model, not byte-level BPE: a GGUF export needs Qwen2's BPE tokenizer`);
  }
  const tokens: string[] = [];
  const tokenTypes: number[] = [];
  for (let id = 0; id < vocab; id++) [tokens[id], tokenTypes[id]] = [`[PAD${id}]`, TOKEN_TYPE.unused];
  const place = (content: string, id: number, type: number) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new ExportError(`tokenizer.json gives ${JSON.stringify(content)} the id ${id}, but the model's embedding has ${vocab} rows: the tokenizer does not belong to this model`);
    }
    [tokens[id], tokenTypes[id]] = [content, type];
  };
  for (const [content, id] of Object.entries(model.vocab)) place(content, id, TOKEN_TYPE.normal);
  for (const t of tj.added_tokens ?? []) place(t.content, t.id, t.special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined);
  const merges = model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m));
  const idOf = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const id = tokens.indexOf(text);
    return id >= 0 ? id : undefined;
  };
  const configId = (key: string) => (typeof configJson[key] === "number" ? (configJson[key] as number) : undefined);
  const meta: GgufTokenizerMeta = { model: "gpt2", pre: "qwen2", tokens, tokenTypes, merges };
  const bosId = idOf(tokenText(tokenizerConfig.bos_token)) ?? configId("bos_token_id");
  const eosId = idOf(tokenText(tokenizerConfig.eos_token)) ?? configId("eos_token_id");
  const padId = idOf(tokenText(tokenizerConfig.pad_token)) ?? eosId;
  if (bosId !== undefined) meta.bosId = bosId;
  if (eosId !== undefined) meta.eosId = eosId;
  if (padId !== undefined) meta.padId = padId;
  const template = chatTemplate ?? (typeof tokenizerConfig.chat_template === "string" ? tokenizerConfig.chat_template : undefined);
  if (template !== undefined) meta.chatTemplate = template;
  return meta;
}
