// Chat templates: picks the Jinja template a model ships (tokenizer_config.json's
// `chat_template`, a string or a list of named templates, or a chat_template.jinja
// file) and renders it with @huggingface/jinja, the Jinja subset transformers.js
// uses, passing the variables Hugging Face templates expect (messages, tools,
// add_generation_prompt, bos_token, eos_token; raise_exception is built in).
import { Template } from "@huggingface/jinja";
import { ChatTemplateError } from "./errors";

/** One chat turn. `tool` turns carry a tool's response (Qwen templates wrap them in <tool_response>). */
export type ChatMessage = { role: "system" | "user" | "assistant" | "tool"; content: string };

/** Options of a rendering: the generation prompt (`<|im_start|>assistant\n` for Qwen) and tool schemas. */
export type ChatTemplateOptions = { addGenerationPrompt?: boolean; tools?: unknown[] };

/**
 * The template source a tokenizer_config.json's `chat_template` field names: a string, or, in the
 * list form [{ name, template }], the one named "tool_use" when tools are given and it exists, else
 * "default", else the first. Undefined when there is none.
 */
export function pickChatTemplate(field: unknown, withTools: boolean): string | undefined {
  if (typeof field === "string") return field.length > 0 ? field : undefined;
  if (!Array.isArray(field)) return undefined;
  const named = new Map<string, string>();
  for (const entry of field) {
    if (entry !== null && typeof entry === "object") {
      const { name, template } = entry as { name?: unknown; template?: unknown };
      if (typeof name === "string" && typeof template === "string") named.set(name, template);
    }
  }
  if (withTools && named.has("tool_use")) return named.get("tool_use");
  return named.get("default") ?? named.values().next().value;
}

/** A parsed chat template, rendered many times. */
export class ChatTemplate {
  private readonly template: Template;

  /** Parses `source`; throws ChatTemplateError when it is not valid Jinja. */
  constructor(
    source: string,
    private readonly specials: { bosToken: string | undefined; eosToken: string | undefined },
  ) {
    try {
      this.template = new Template(source);
    } catch (e) {
      throw new ChatTemplateError(`it does not parse (${(e as Error).message})`, { cause: e });
    }
  }

  /** The prompt text for `messages`; throws ChatTemplateError when the template raises. */
  render(messages: ChatMessage[], opts: ChatTemplateOptions = {}): string {
    const vars: Record<string, unknown> = {
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: opts.addGenerationPrompt ?? false,
      bos_token: this.specials.bosToken ?? "",
      eos_token: this.specials.eosToken ?? "",
    };
    if (opts.tools !== undefined && opts.tools.length > 0) vars.tools = opts.tools;
    try {
      return this.template.render(vars);
    } catch (e) {
      throw new ChatTemplateError((e as Error).message, { cause: e });
    }
  }
}
