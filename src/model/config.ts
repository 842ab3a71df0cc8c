// The Qwen2 architecture's hyperparameters, read from a Hugging Face config.json
// (or built for tests), validated with messages that say what is wrong.

export type Qwen2Config = {
  /** C: hidden size. */
  hidden: number;
  /** I: MLP width. */
  intermediate: number;
  /** L: decoder layers. */
  layers: number;
  /** NH: query heads. */
  heads: number;
  /** NKV: key/value heads (grouped-query attention). */
  kvHeads: number;
  /** HD: head dim (hidden / heads for Qwen2). */
  headDim: number;
  /** V: vocabulary size (rows of the embedding). */
  vocab: number;
  rmsEps: number;
  ropeTheta: number;
  tieEmbeddings: boolean;
  maxPositions: number;
};

/** A config.json that cannot describe a model the engine runs. */
export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelConfigError";
  }
}

function int(raw: Record<string, unknown>, key: string, fallback?: number): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ModelConfigError(`config.json: "${key}" must be a positive integer, got ${JSON.stringify(raw[key])}`);
  }
  return value;
}

function num(raw: Record<string, unknown>, key: string, fallback: number): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ModelConfigError(`config.json: "${key}" must be a positive number, got ${JSON.stringify(raw[key])}`);
  }
  return value;
}

/** Reads a Hugging Face Qwen2 config.json object; refuses other architectures by name. */
export function parseQwen2Config(raw: unknown): Qwen2Config {
  if (typeof raw !== "object" || raw === null) throw new ModelConfigError("config.json is not a JSON object");
  const r = raw as Record<string, unknown>;
  const archs = Array.isArray(r.architectures) ? (r.architectures as unknown[]).map(String) : [];
  const modelType = typeof r.model_type === "string" ? r.model_type : "";
  const isQwen2 = modelType === "qwen2" || archs.some((a) => a.startsWith("Qwen2ForCausalLM"));
  if (!isQwen2) {
    const found = modelType || archs.join(", ") || "no model_type";
    throw new ModelConfigError(
      `config.json describes "${found}", but TAPO Studio runs the Qwen2 architecture (Qwen2.5 models) only`,
    );
  }
  const hidden = int(r, "hidden_size");
  const heads = int(r, "num_attention_heads");
  const config: Qwen2Config = {
    hidden,
    intermediate: int(r, "intermediate_size"),
    layers: int(r, "num_hidden_layers"),
    heads,
    kvHeads: int(r, "num_key_value_heads", heads),
    headDim: int(r, "head_dim", Math.floor(hidden / heads)),
    vocab: int(r, "vocab_size"),
    rmsEps: num(r, "rms_norm_eps", 1e-6),
    ropeTheta: num(r, "rope_theta", 10000),
    tieEmbeddings: r.tie_word_embeddings === true,
    maxPositions: int(r, "max_position_embeddings", 32768),
  };
  validateConfig(config);
  return config;
}

/** Checks the relations between sizes that the kernels rely on. */
export function validateConfig(c: Qwen2Config): void {
  if (c.heads % c.kvHeads !== 0) {
    throw new ModelConfigError(`heads (${c.heads}) must be a multiple of key/value heads (${c.kvHeads})`);
  }
  if (c.headDim % 2 !== 0) throw new ModelConfigError(`head dim must be even for rotary embeddings, got ${c.headDim}`);
  if (c.heads * c.headDim !== c.hidden) {
    throw new ModelConfigError(`heads × head dim (${c.heads} × ${c.headDim}) must equal the hidden size (${c.hidden})`);
  }
  if (c.hidden % 4 !== 0 || c.intermediate % 4 !== 0) {
    throw new ModelConfigError(`hidden (${c.hidden}) and MLP width (${c.intermediate}) must be multiples of 4`);
  }
}

/** The parameter count of the base model (embedding counted once when tied). */
export function parameterCount(c: Qwen2Config): number {
  const kv = c.kvHeads * c.headDim;
  const attn = c.hidden * c.hidden * 2 + c.hidden * kv * 2 + c.hidden + 2 * kv;
  const mlp = 3 * c.hidden * c.intermediate;
  const perLayer = attn + mlp + 2 * c.hidden;
  const embed = c.vocab * c.hidden;
  return c.layers * perLayer + embed * (c.tieEmbeddings ? 1 : 2) + c.hidden;
}

/** The Hugging Face config.json object for a config (tests, the bundled model, exports). */
export function toHfConfigJson(c: Qwen2Config): Record<string, unknown> {
  return {
    architectures: ["Qwen2ForCausalLM"],
    model_type: "qwen2",
    hidden_size: c.hidden,
    intermediate_size: c.intermediate,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads,
    head_dim: c.headDim,
    vocab_size: c.vocab,
    rms_norm_eps: c.rmsEps,
    rope_theta: c.ropeTheta,
    tie_word_embeddings: c.tieEmbeddings,
    max_position_embeddings: c.maxPositions,
    hidden_act: "silu",
    torch_dtype: "float32",
  };
}
