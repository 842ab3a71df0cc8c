// QwenTokenizer: text <-> token ids and chat prompts for Qwen2/Qwen2.5 models, built
// from a Hugging Face folder's tokenizer.json + tokenizer_config.json, or (through
// tokenizerFilesFromGguf) from a lone .gguf file's tokenizer metadata.
//
// Libraries, and why:
// - @huggingface/tokenizers (tokenizers.js) runs the tokenizer.json pipeline
//   (NFC normalizer, the Split regex + ByteLevel pre-tokenizer, BPE merges, added
//   tokens, ByteLevel decoder). It is the standalone tokenizer code transformers.js
//   v4 uses, with no dependencies (~8 kB gzipped) and an ESM build that imports no
//   Node modules, so Vite bundles it for the browser unchanged (checked by
//   tokenizer.gpu.test.ts in Chromium) and Node runs it as is. It translates the
//   Oniguruma regexes of tokenizer.json into JavaScript ones. All of
//   @huggingface/transformers would also pull in onnxruntime and sharp.
// - @huggingface/jinja renders chat templates: the Jinja subset transformers.js
//   renders them with (namespace(), slicing, tojson, raise_exception, …), enough
//   for the Qwen2.5 and Qwen3 templates.
import { Tokenizer } from "@huggingface/tokenizers";
import { ChatTemplate, type ChatMessage, type ChatTemplateOptions, pickChatTemplate } from "./chat_template";
import { MissingChatTemplateError, MissingTokenizerError, TokenizerError, UnsupportedTokenizerError } from "./errors";

export type { ChatMessage, ChatTemplateOptions } from "./chat_template";
export { tokenizerFilesFromGguf, type GgufTokenizerMeta } from "./from_gguf";

/** A token field of tokenizer_config.json: "<|im_end|>", or { content: "<|im_end|>", … }, or null. */
function tokenField(config: Record<string, unknown>, key: string): string | undefined {
  const v = config[key];
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") {
    return (v as { content: string }).content;
  }
  return undefined;
}

/** Checks that tokenizer.json describes a BPE model; throws the errors callers show to users. */
function checkTokenizerJson(json: unknown): Record<string, unknown> {
  if (json === undefined || json === null) throw new MissingTokenizerError();
  if (typeof json !== "object" || Array.isArray(json)) {
    throw new UnsupportedTokenizerError("tokenizer.json is not a JSON object (is it the right file?)");
  }
  const obj = json as Record<string, unknown>;
  const model = obj.model as Record<string, unknown> | undefined;
  if (model === undefined || model === null || typeof model !== "object") {
    throw new UnsupportedTokenizerError("tokenizer.json has no \"model\" section (is it the right file?)");
  }
  const type = model.type ?? (Array.isArray(model.merges) ? "BPE" : undefined);
  if (type !== "BPE") {
    throw new UnsupportedTokenizerError(`tokenizer.json holds a ${JSON.stringify(type ?? "untyped")} model, not BPE`);
  }
  return Array.isArray(obj.added_tokens) ? obj : { ...obj, added_tokens: [] };
}

/** Options of fromFiles beyond the two JSON files. */
export type TokenizerFileOptions = {
  /** The text of chat_template.jinja, which newer Hugging Face repos ship instead of a chat_template field. */
  chatTemplate?: string;
};

/** A Qwen (byte-level BPE) tokenizer with its chat template. */
export class QwenTokenizer {
  /** Number of token ids the tokenizer knows: highest id + 1 (the model's embedding may have more rows). */
  readonly vocabSize: number;
  /**
   * Every added token (matched whole in text, never split by BPE) → its id: the control tokens
   * (<|endoftext|>, <|im_start|>, <|im_end|>, …) and the plain added ones (<tool_call>, <think>, …).
   */
  readonly specialTokens: Map<string, number>;
  /** The end-of-sequence id named by tokenizer_config.json's eos_token (else <|endoftext|>). */
  readonly eosTokenId: number;
  /** The padding id (pad_token, else the eos id). */
  readonly padTokenId: number;
  /** Ids that end a generated turn: the eos id, <|im_end|> and <|endoftext|> where present. */
  readonly stopTokenIds: number[];

  private readonly tokenizer: Tokenizer;
  private readonly config: Record<string, unknown>;
  /** chat_template.jinja's text when given; it takes precedence over tokenizer_config.json's field. */
  private readonly chatTemplateSource: string | undefined;
  private readonly chatTemplates = new Map<string, ChatTemplate>();

  private constructor(tokenizer: Tokenizer, config: Record<string, unknown>, chatTemplate: string | undefined) {
    this.tokenizer = tokenizer;
    this.config = config;
    this.chatTemplateSource = chatTemplate;
    this.specialTokens = new Map();
    for (const [id, token] of tokenizer.get_added_tokens_decoder()) this.specialTokens.set(token.content, id);
    // The library keeps id -> token in an array indexed by id (added tokens included).
    this.vocabSize = tokenizer.model?.vocab.length ?? 0;

    const eosName = tokenField(config, "eos_token");
    const eos = (eosName !== undefined ? this.tokenId(eosName) : undefined) ?? this.tokenId("<|endoftext|>");
    if (eos === undefined) {
      throw new UnsupportedTokenizerError(
        `the tokenizer has no end-of-sequence token (eos_token ${JSON.stringify(eosName ?? null)} is not in its vocabulary)`,
      );
    }
    this.eosTokenId = eos;
    const padName = tokenField(config, "pad_token");
    this.padTokenId = (padName !== undefined ? this.tokenId(padName) : undefined) ?? eos;
    const stops = [eos, this.tokenId("<|im_end|>"), this.tokenId("<|endoftext|>")];
    this.stopTokenIds = [...new Set(stops.filter((id): id is number => id !== undefined))];
  }

  /**
   * A tokenizer from a Hugging Face folder's parsed tokenizer.json and tokenizer_config.json
   * (undefined/null when the folder lacks the file). Throws MissingTokenizerError without a
   * tokenizer.json and UnsupportedTokenizerError for a non-BPE one. The chat template comes from
   * `opts.chatTemplate` (chat_template.jinja) when given, else from tokenizer_config.json.
   */
  static fromFiles(tokenizerJson: unknown, tokenizerConfig: unknown, opts: TokenizerFileOptions = {}): QwenTokenizer {
    const json = checkTokenizerJson(tokenizerJson);
    if (tokenizerConfig !== undefined && tokenizerConfig !== null && typeof tokenizerConfig !== "object") {
      throw new TokenizerError("tokenizer_config.json is not a JSON object: replace it with the model's original file.");
    }
    const config = { ...((tokenizerConfig ?? {}) as Record<string, unknown>) };
    // Byte-level BPE decodes exactly; the library's default (true) would rewrite " ." as ".".
    config.clean_up_tokenization_spaces ??= false;
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json, config);
    } catch (e) {
      throw new UnsupportedTokenizerError(`tokenizer.json could not be built (${(e as Error).message})`, { cause: e });
    }
    return new QwenTokenizer(tokenizer, config, opts.chatTemplate);
  }

  /**
   * Token ids of `text` (length T). Added tokens written in the text (<|im_start|>, …) become their
   * ids. `addSpecialTokens` (default true) applies the post-processor, which adds nothing for Qwen.
   */
  encode(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    if (text.length === 0) return [];
    return this.tokenizer.encode(text, { add_special_tokens: opts.addSpecialTokens ?? true }).ids;
  }

  /**
   * The text of `ids` (any length). Ids the tokenizer does not know (the embedding's padding rows)
   * are skipped, as Hugging Face's tokenizers do; `skipSpecialTokens` also drops control tokens.
   */
  decode(ids: number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const known = ids.filter((id) => Number.isInteger(id) && this.tokenizer.id_to_token(id) !== undefined);
    if (known.length === 0) return "";
    return this.tokenizer.decode(known, { skip_special_tokens: opts.skipSpecialTokens ?? false });
  }

  /** The id of one vocabulary entry or added token, in its stored form ("Ġworld", "<|im_end|>"). */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** The stored form of one id ("Ġworld"), or undefined when the id is unknown. */
  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  /** True when the model ships a chat template. */
  get hasChatTemplate(): boolean {
    return this.chatTemplateSource !== undefined || pickChatTemplate(this.config.chat_template, false) !== undefined;
  }

  /**
   * The prompt text for `messages` rendered by the model's chat template, e.g. for Qwen with
   * addGenerationPrompt: "<|im_start|>system\n…<|im_end|>\n<|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n".
   * Throws MissingChatTemplateError when the model has none, ChatTemplateError when it fails.
   */
  applyChatTemplate(messages: ChatMessage[], opts: ChatTemplateOptions = {}): string {
    const withTools = opts.tools !== undefined && opts.tools.length > 0;
    const source = this.chatTemplateSource ?? pickChatTemplate(this.config.chat_template, withTools);
    if (source === undefined) throw new MissingChatTemplateError();
    let template = this.chatTemplates.get(source);
    if (template === undefined) {
      template = new ChatTemplate(source, {
        bosToken: tokenField(this.config, "bos_token"),
        eosToken: tokenField(this.config, "eos_token"),
      });
      this.chatTemplates.set(source, template);
    }
    return template.render(messages, opts);
  }

  /** Token ids of the rendered chat prompt (the template already holds every special token). */
  encodeChat(messages: ChatMessage[], opts: ChatTemplateOptions = {}): number[] {
    return this.encode(this.applyChatTemplate(messages, opts), { addSpecialTokens: false });
  }
}
