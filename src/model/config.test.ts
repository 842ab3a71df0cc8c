// Checks config.json parsing against the published Qwen2.5 shapes, and the refusals. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { ModelConfigError, parameterCount, parseQwen2Config, toHfConfigJson } from "./config";

// The published config.json of Qwen2.5-0.5B-Instruct (fields the engine reads).
const qwen05 = {
  architectures: ["Qwen2ForCausalLM"],
  hidden_size: 896,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  model_type: "qwen2",
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  tie_word_embeddings: true,
  vocab_size: 151936,
};

describe("parseQwen2Config", () => {
  it("reads Qwen2.5-0.5B and counts its ~494M parameters", () => {
    const c = parseQwen2Config(qwen05);
    expect(c).toMatchObject({ hidden: 896, heads: 14, kvHeads: 2, headDim: 64, layers: 24, tieEmbeddings: true, ropeTheta: 1e6 });
    // Qwen's model card: 0.49B parameters.
    expect(parameterCount(c)).toBe(494_032_768);
  });
  it("counts the untied 7B's separate output head", () => {
    const c = parseQwen2Config({
      ...qwen05,
      hidden_size: 3584,
      intermediate_size: 18944,
      num_attention_heads: 28,
      num_hidden_layers: 28,
      num_key_value_heads: 4,
      vocab_size: 152064,
      tie_word_embeddings: false,
    });
    expect(c.headDim).toBe(128);
    expect(parameterCount(c)).toBe(7_615_616_512);
  });
  it("refuses another architecture, naming it", () => {
    expect(() => parseQwen2Config({ ...qwen05, model_type: "llama", architectures: ["LlamaForCausalLM"] })).toThrow(
      /describes "llama".*Qwen2/,
    );
  });
  it("names the field that is missing or wrong", () => {
    const noHidden: Record<string, unknown> = { ...qwen05 };
    delete noHidden.hidden_size;
    expect(() => parseQwen2Config(noHidden)).toThrow(/"hidden_size" must be a positive integer/);
    expect(() => parseQwen2Config({ ...qwen05, num_key_value_heads: 3 })).toThrow(ModelConfigError);
    expect(() => parseQwen2Config("nope")).toThrow(/not a JSON object/);
  });
});

describe("toHfConfigJson", () => {
  it("writes a config.json that parses back to the same config", () => {
    const c = parseQwen2Config({ ...qwen05, tie_word_embeddings: false, rope_theta: 1e4 });
    expect(parseQwen2Config(JSON.parse(JSON.stringify(toHfConfigJson(c))))).toEqual(c);
  });
});
