// The model's tokenizer and chat template, from the same files as its weights:
// tokenizer.json (+ tokenizer_config.json, chat_template.jinja) of a Hugging
// Face folder, or a lone GGUF's tokenizer.ggml.* metadata.
import { readGgufHeader } from "../formats/gguf";
import { type FileSet, readJson, readText } from "../io/source";
import { MissingTokenizerError } from "../tokenizer/errors";
import { tokenizerFilesFromGguf } from "../tokenizer/from_gguf";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { ggufTokenizerMetadata } from "./gguf_tokenizer";
import { ggufFileOf } from "./load_model";

/** Reads the tokenizer of a model's files; throws MissingTokenizerError (with what to do) when there is none. */
export async function loadTokenizer(files: FileSet, signal?: AbortSignal): Promise<QwenTokenizer> {
  const gguf = ggufFileOf(files);
  if (gguf) {
    const source = files.get(gguf)!;
    const meta = ggufTokenizerMetadata(await readGgufHeader(source, signal), source.name);
    const { tokenizerJson, tokenizerConfig } = tokenizerFilesFromGguf(meta);
    return QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
  }
  const json = files.get("tokenizer.json");
  if (!json) throw new MissingTokenizerError();
  const configFile = files.get("tokenizer_config.json");
  const templateFile = files.get("chat_template.jinja");
  const config = configFile ? await readJson(configFile, signal) : undefined;
  const chatTemplate = templateFile ? await readText(templateFile, signal) : undefined;
  return QwenTokenizer.fromFiles(await readJson(json, signal), config, chatTemplate ? { chatTemplate } : {});
}
