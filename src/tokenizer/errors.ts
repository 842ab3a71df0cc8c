// Typed errors of the tokenizer and chat-template layer. Each message says what is
// wrong with the model's files and what the user can do about it.

/** Base class: anything wrong with a model's tokenizer files. */
export class TokenizerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TokenizerError";
  }
}

/** The model folder has no tokenizer.json (or it did not parse to an object). */
export class MissingTokenizerError extends TokenizerError {
  constructor() {
    super(
      "the model folder has no tokenizer.json; copy tokenizer.json (and tokenizer_config.json, which holds the chat " +
        "template) from the model's Hugging Face repository into the folder, or load the model's .gguf file, which " +
        "carries its own tokenizer.",
    );
    this.name = "MissingTokenizerError";
  }
}

/** A tokenizer of a kind this app cannot run (not BPE, unknown GGUF tokenizer model or pre-tokenizer, …). */
export class UnsupportedTokenizerError extends TokenizerError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(
      `${what}; TAPO Studio runs byte-level BPE tokenizers such as Qwen2.5's: load a Qwen2.5 model ` +
        "(a Hugging Face folder or a .gguf file converted from one).",
      options,
    );
    this.name = "UnsupportedTokenizerError";
  }
}

/** A chat prompt was asked for but the model ships no chat template. */
export class MissingChatTemplateError extends TokenizerError {
  constructor() {
    super(
      "the model has no chat template (tokenizer_config.json has no chat_template, and no chat_template.jinja or " +
        "GGUF tokenizer.chat_template was given); use an instruct model's files (e.g. Qwen2.5-0.5B-Instruct), " +
        "whose tokenizer_config.json carries the template.",
    );
    this.name = "MissingChatTemplateError";
  }
}

/** The chat template failed to parse or raised an error while rendering. */
export class ChatTemplateError extends TokenizerError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `the model's chat template failed: ${detail}. Check the messages (roles, order) against what the template ` +
        "expects, or replace the model's chat_template with a working one.",
      options,
    );
    this.name = "ChatTemplateError";
  }
}
