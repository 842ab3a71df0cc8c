// Reads what an export needs from a model's files, on the CPU: the weights as
// f32 ModelWeights (through the same loaders the app uses, with a collecting
// sink instead of the GPU), the tokenizer both as Hugging Face files and as
// GGUF metadata, and generation_config.json. Works on a Hugging Face folder
// or a lone .gguf.
import { readGgufHeader } from "../formats/gguf";
import { type FileSet, readJson, readText } from "../io/source";
import { collectModelWeights, loadHfFolder } from "../loader/hf_folder";
import { configFromGguf, ggufTokenizerMetadata, loadGgufModel } from "../loader/gguf_model";
import { type Qwen2Config, parseQwen2Config } from "../model/config";
import type { ModelWeights } from "../model/weights";
import { type GgufTokenizerMeta, tokenizerFilesFromGguf } from "../tokenizer/from_gguf";
import { ExportError } from "./errors";
import { ggufTokenizerFromHf } from "./tokenizer";

export type ExportSource = {
  weights: ModelWeights;
  /** tokenizer.json and tokenizer_config.json (with chat_template) as objects. */
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  generationConfig: Record<string, unknown>;
  ggufTokenizer: GgufTokenizerMeta;
  /** The source's own config.json, when it has one (kept fields such as bos_token_id). */
  configJson: Record<string, unknown>;
};

async function optionalJson(files: FileSet, name: string): Promise<Record<string, unknown> | undefined> {
  const src = files.get(name);
  return src ? ((await readJson(src)) as Record<string, unknown>) : undefined;
}

function generationConfigOf(meta: { bosId?: number; eosId?: number; padId?: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (meta.bosId !== undefined) out.bos_token_id = meta.bosId;
  if (meta.eosId !== undefined) out.eos_token_id = meta.eosId;
  if (meta.padId !== undefined) out.pad_token_id = meta.padId;
  return out;
}

/** The one .gguf of a set without config.json (load_model.ts's rule; that module also pulls in the GPU side). */
function ggufFileOf(files: FileSet): string | undefined {
  const ggufs = files.list().filter((n) => n.toLowerCase().endsWith(".gguf"));
  if (ggufs.length === 0 || files.get("config.json")) return undefined;
  if (ggufs.length > 1) throw new ExportError(`${files.label} holds ${ggufs.length} .gguf files (${ggufs.slice(0, 3).join(", ")}…): give --model one .gguf file`);
  return ggufs[0];
}

/** The model's config alone (config.json, or the GGUF header), to size an export before loading weights. */
export async function readExportConfig(files: FileSet): Promise<Qwen2Config> {
  const gguf = ggufFileOf(files);
  if (gguf) return configFromGguf(await readGgufHeader(files.get(gguf)!), gguf);
  const configFile = files.get("config.json");
  if (!configFile) {
    throw new ExportError(`${files.label} has no config.json and no .gguf file: --model takes a Hugging Face folder (config.json, tokenizer.json, *.safetensors) or one .gguf file`);
  }
  return parseQwen2Config(await readJson(configFile));
}

/** Loads a model's weights (f32) and tokenizer from a Hugging Face folder or one .gguf file. */
export async function readExportSource(files: FileSet): Promise<ExportSource> {
  const gguf = ggufFileOf(files);
  if (gguf) {
    const src = files.get(gguf)!;
    const collect = collectModelWeights(configFromGguf(await readGgufHeader(src), src.name));
    const { header } = await loadGgufModel(src, { quant: "f32", sink: collect.sink });
    const ggufTokenizer = ggufTokenizerMetadata(header, src.name);
    const { tokenizerJson, tokenizerConfig } = tokenizerFilesFromGguf(ggufTokenizer);
    return {
      weights: collect.finish(),
      tokenizerJson,
      tokenizerConfig: tokenizerConfig as Record<string, unknown>,
      generationConfig: generationConfigOf(ggufTokenizer),
      ggufTokenizer,
      configJson: generationConfigOf(ggufTokenizer),
    };
  }
  const collect = collectModelWeights(await readExportConfig(files));
  const { config } = await loadHfFolder(files, { quant: "f32", sink: collect.sink });
  const weights = collect.finish();
  const tokenizerFile = files.get("tokenizer.json");
  if (!tokenizerFile) {
    throw new ExportError(`${files.label} has no tokenizer.json: an export carries the model's tokenizer; add tokenizer.json (and tokenizer_config.json) to the folder`);
  }
  const tokenizerJson = await readJson(tokenizerFile);
  const tokenizerConfig = { ...((await optionalJson(files, "tokenizer_config.json")) ?? {}) };
  const templateFile = files.get("chat_template.jinja");
  if (templateFile) tokenizerConfig.chat_template = await readText(templateFile);
  const configJson = (await optionalJson(files, "config.json")) ?? {};
  const ggufTokenizer = ggufTokenizerFromHf(tokenizerJson, tokenizerConfig, configJson, config.vocab);
  const generationConfig = (await optionalJson(files, "generation_config.json")) ?? generationConfigOf(ggufTokenizer);
  return { weights, tokenizerJson, tokenizerConfig, generationConfig, ggufTokenizer, configJson };
}
