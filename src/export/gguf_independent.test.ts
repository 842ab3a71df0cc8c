// Reads `tapo export`'s GGUF of the bundled tiny model (with a random adapter)
// back with an independent parser, @huggingface/gguf (CPU only, no GPU): the
// general.*, qwen2.* and tokenizer.ggml.* metadata llama.cpp expects, with the
// value types its converter writes, and every tensor's name, shape and type.
import { GGMLQuantizationType, GGUFValueType, gguf } from "@huggingface/gguf";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseQwen2Config } from "../model/config";
import { qwen2GgufTensors } from "../loader/gguf_names";
import type { ExportDtype } from "./dtypes";
import { exportModel } from "./export";
import { diskFileSet } from "./node_files";
import { TINY_DIR, randomAdapter } from "./testing";

const dir = mkdtempSync(join(tmpdir(), "tapo-gguf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = parseQwen2Config(JSON.parse(readFileSync(`${TINY_DIR}/config.json`, "utf8")));
const tokenizerConfig = JSON.parse(readFileSync(`${TINY_DIR}/tokenizer_config.json`, "utf8"));

async function exported(dtype: ExportDtype) {
  const adapter = randomAdapter(config, 3);
  const out = await exportModel({ model: diskFileSet(TINY_DIR, "--model"), adapter: adapter.files, format: "gguf", dtype, name: "tiny" });
  const path = join(dir, `tiny-${dtype}.gguf`);
  writeFileSync(path, out.files.get("model.gguf")!);
  return gguf(path, { allowLocalFile: true, typedMetadata: true });
}

describe("the GGUF export, read by @huggingface/gguf", () => {
  it("holds llama.cpp's qwen2 metadata with the converter's value types", async () => {
    const parsed = await exported("f32");
    const metadata = parsed.metadata as unknown as Record<string, unknown>;
    const typedMetadata = parsed.typedMetadata as unknown as Record<string, { value: unknown; type: GGUFValueType }>;
    expect(metadata.version).toBe(3);
    expect(metadata["general.architecture"]).toBe("qwen2");
    expect(metadata["general.type"]).toBe("model");
    expect(metadata["general.name"]).toBe("tiny");
    const ints = {
      "qwen2.block_count": 2,
      "qwen2.context_length": 1024,
      "qwen2.embedding_length": 64,
      "qwen2.feed_forward_length": 192,
      "qwen2.attention.head_count": 2,
      "qwen2.attention.head_count_kv": 1,
      "general.file_type": 0,
      "general.quantization_version": 2,
      "tokenizer.ggml.bos_token_id": 755,
      "tokenizer.ggml.eos_token_id": 757,
      "tokenizer.ggml.padding_token_id": 755,
    };
    for (const [key, value] of Object.entries(ints)) {
      expect(typedMetadata[key], key).toEqual({ value, type: GGUFValueType.UINT32 });
    }
    expect(typedMetadata["qwen2.rope.freq_base"]).toEqual({ value: 10000, type: GGUFValueType.FLOAT32 });
    expect(typedMetadata["qwen2.attention.layer_norm_rms_epsilon"]).toEqual({ value: Math.fround(1e-6), type: GGUFValueType.FLOAT32 });
    expect(typedMetadata["tokenizer.ggml.add_bos_token"]).toEqual({ value: false, type: GGUFValueType.BOOL });
    expect(metadata["tokenizer.ggml.model"]).toBe("gpt2");
    expect(metadata["tokenizer.ggml.pre"]).toBe("qwen2");
    expect(metadata["tokenizer.chat_template"]).toBe(tokenizerConfig.chat_template);
    const tokens = metadata["tokenizer.ggml.tokens"] as string[];
    const types = metadata["tokenizer.ggml.token_type"] as number[];
    expect(tokens.length).toBe(768);
    expect(types.length).toBe(768);
    expect([tokens[755], types[755], tokens[757], types[757]]).toEqual(["<|endoftext|>", 3, "<|im_end|>", 3]);
    expect([tokens[758], types[758]]).toEqual(["<think>", 4]);
    expect(types[0]).toBe(1);
    const merges = metadata["tokenizer.ggml.merges"] as string[];
    expect(merges.length).toBe(499);
    expect(merges[0]).toBe("s t");
  });

  it.each([
    ["f32", GGMLQuantizationType.F32, 0],
    ["f16", GGMLQuantizationType.F16, 1],
    ["q8_0", GGMLQuantizationType.Q8_0, 7],
    ["q4_0", GGMLQuantizationType.Q4_0, 2],
  ] as const)("names and shapes every tensor as llama.cpp does (%s)", async (dtype, matrixType, fileType) => {
    const { metadata, tensorInfos } = await exported(dtype);
    expect((metadata as unknown as Record<string, unknown>)["general.file_type"]).toBe(fileType);
    const want = qwen2GgufTensors(config);
    expect(tensorInfos.map((t) => t.name)).toEqual(want.map((t) => t.gguf));
    expect(tensorInfos.find((t) => t.name === "token_embd.weight")!.shape).toEqual([64n, 768n]);
    expect(tensorInfos.find((t) => t.name === "blk.1.ffn_down.weight")!.shape).toEqual([192n, 64n]);
    expect(tensorInfos.find((t) => t.name === "blk.0.attn_k.bias")!.shape).toEqual([32n]);
    for (const [i, t] of tensorInfos.entries()) {
      expect(t.dtype, t.name).toBe(want[i]!.matrix ? matrixType : GGMLQuantizationType.F32);
    }
  });
});
