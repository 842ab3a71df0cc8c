// Checks that a model folder's tokenizer files and a GGUF's tokenizer metadata give the same tokenizer, and that a folder without tokenizer.json says what to do. Node only, no GPU.
import { describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { randomWeights } from "../model/weights";
import { tinyConfig } from "../model/testing";
import { ggufMetaFromShipped, loadShippedQwenFiles } from "../tokenizer/testing_files";
import { writeQwen2Gguf } from "./gguf_write_model";
import { loadTokenizer } from "./load_tokenizer";

const text = "def f(x):\n\treturn x * 12345  # 你好 <|im_end|>";
const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
const json = (name: string, value: unknown) => bytesSource(name, new TextEncoder().encode(JSON.stringify(value)));

describe("loadTokenizer", () => {
  it("reads tokenizer.json and tokenizer_config.json of a folder, chat template included", async () => {
    const files = fileSet("folder", [json("tokenizer.json", tokenizerJson), json("tokenizer_config.json", tokenizerConfig), json("config.json", {})]);
    const tok = await loadTokenizer(files);
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.applyChatTemplate([{ role: "user", content: "hi" }], { addGenerationPrompt: true })).toContain("<|im_start|>assistant\n");
  });

  it("rebuilds the same tokenizer from a GGUF's metadata", async () => {
    const folder = await loadTokenizer(fileSet("folder", [json("tokenizer.json", tokenizerJson), json("tokenizer_config.json", tokenizerConfig), json("config.json", {})]));
    const config = tinyConfig({ vocab: 64 });
    const gguf = writeQwen2Gguf(randomWeights(config, 1), { types: "native", tokenizer: ggufMetaFromShipped() });
    const fromGguf = await loadTokenizer(fileSet("one file", [bytesSource("m.gguf", gguf)]));
    expect(fromGguf.encode(text)).toEqual(folder.encode(text));
  });

  it("says what to do when a folder has no tokenizer.json", async () => {
    await expect(loadTokenizer(fileSet("folder", [json("config.json", {})]))).rejects.toThrow(
      /the model folder has no tokenizer\.json; copy tokenizer\.json/,
    );
  });
});
