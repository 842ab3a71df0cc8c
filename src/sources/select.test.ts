// Checks which files of a folder or repo make up a model (pure, Node, no GPU).
import { describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { ModelFilesError, selectModelFiles, totalBytes } from "./select";

const set = (names: string[]) => fileSet("test", names.map((n, i) => bytesSource(n, new Uint8Array(i + 1))));

describe("selectModelFiles", () => {
  it("keeps config, tokenizer and safetensors files of an HF folder and drops the rest", () => {
    const { files, layout } = selectModelFiles(
      set(["README.md", "config.json", "tokenizer.json", "model-1.safetensors", "model-2.safetensors", "onnx/model.onnx", "x.gguf"]),
    );
    expect(layout).toBe("safetensors");
    expect(files.list().sort()).toEqual(["config.json", "model-1.safetensors", "model-2.safetensors", "tokenizer.json"]);
    expect(files.get("README.md")).toBeUndefined();
    expect(totalBytes(files)).toBe(2 + 3 + 4 + 5);
  });

  it("takes a single .gguf, and asks to pick one among several", () => {
    expect(selectModelFiles(set(["README.md", "m.Q4_0.gguf"])).files.list()).toEqual(["m.Q4_0.gguf"]);
    expect(() => selectModelFiles(set(["a.gguf", "b.gguf"]))).toThrow(/holds 2 GGUF files .*pick one/);
    expect(selectModelFiles(set(["a.gguf", "b.gguf"]), "b.gguf").files.list()).toEqual(["b.gguf"]);
  });

  it("says what is missing", () => {
    expect(() => selectModelFiles(set(["model.safetensors"]))).toThrow(/no config.json/);
    expect(() => selectModelFiles(set(["notes.txt"]))).toThrow(ModelFilesError);
  });
});
