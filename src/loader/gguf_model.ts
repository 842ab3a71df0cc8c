// A Qwen2 GGUF (llama.cpp's format) into the engine: the config from the
// qwen2.* metadata, and every tensor emitted to a TensorSink under its Hugging
// Face name in the kernel formats, read range by range.
//
// Q/K layout: llama.cpp's convert_hf_to_gguf.py permutes the rows of Q and K
// only for its LLaMA-family converters (LlamaModel.modify_tensors), which feed
// llama.cpp's interleaved ("normal") RoPE. Its Qwen2Model.modify_tensors only
// renames tensors (prefixing "model." for bare Qwen2Model checkpoints) before
// the base TextModel mapping, and llama.cpp runs qwen2 with NEOX-style RoPE
// (rotating the two halves of each head, as Hugging Face does). So qwen2 GGUF
// Q/K rows are in Hugging Face order and are used here without un-permuting.
import { readGgufHeader, type GgufHeader, type GgufTensorInfo, type GgufValue } from "../formats/gguf";
import type { ByteSource } from "../io/source";
import { ModelConfigError, validateConfig, type Qwen2Config } from "../model/config";
import type { WeightFormat } from "../protocol/tensors";
import { qwen2GgufTensors } from "./gguf_names";
import { checkLoadableType, readGgufMatrix, readGgufVector } from "./gguf_tensor";
import { throwIfCancelled, type ProgressCallback } from "./load_progress";
import { type TensorSink } from "../protocol/tensors";

export { ggufTokenizerMetadata, type GgufTokenizerMetadata } from "./gguf_tokenizer";
export { qwen2GgufParts, writeQwen2Gguf, type Qwen2GgufOptions } from "./gguf_write_model";

/** A GGUF that is not a complete Qwen2 model the engine can run. */
export class GgufModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GgufModelError";
  }
}

/** A metadata number (u64 values arrive as number when exact). */
function metaNumber(header: GgufHeader, key: string): number | undefined {
  const v: GgufValue | undefined = header.metadata.get(key);
  if (v === undefined) return undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ModelConfigError(`GGUF metadata "${key}" should be a number, but holds ${JSON.stringify(String(v))}`);
  }
  return v;
}

function metaInt(header: GgufHeader, key: string, fallback?: number): number {
  const v = metaNumber(header, key) ?? fallback;
  if (v === undefined) {
    throw new ModelConfigError(
      `the GGUF metadata has no "${key}": the file does not describe a complete Qwen2 model. ` +
        "Convert the model again with llama.cpp's convert_hf_to_gguf.py.",
    );
  }
  if (!Number.isInteger(v) || v <= 0) throw new ModelConfigError(`GGUF metadata "${key}" must be a positive integer, got ${v}`);
  return v;
}

function metaPositive(header: GgufHeader, key: string, fallback: number): number {
  const v = metaNumber(header, key) ?? fallback;
  if (v <= 0) throw new ModelConfigError(`GGUF metadata "${key}" must be positive, got ${v}`);
  return v;
}

function tensorByName(header: GgufHeader): Map<string, GgufTensorInfo> {
  return new Map(header.tensors.map((t) => [t.name, t]));
}

/**
 * The Qwen2Config a GGUF header describes (qwen2.* metadata; vocab from
 * token_embd's dims; tied embeddings when there is no output.weight).
 * Refuses other architectures by name.
 */
export function configFromGguf(header: GgufHeader, file = "the GGUF file"): Qwen2Config {
  const arch = header.metadata.get("general.architecture");
  if (arch !== "qwen2") {
    const found = typeof arch === "string" ? `"${arch}"` : "no general.architecture";
    throw new ModelConfigError(
      `${file} describes a ${found} model, but TAPO Studio runs the Qwen2 architecture (Qwen2.5 models) only; ` +
        "pick a Qwen2.5 GGUF.",
    );
  }
  const tensors = tensorByName(header);
  const embed = tensors.get("token_embd.weight");
  if (!embed || embed.dims.length !== 2) {
    throw new GgufModelError(
      `${file} has no 2-D tensor "token_embd.weight" (the token embedding): it is not a complete Qwen2 model. Convert it again with llama.cpp.`,
    );
  }
  const hidden = metaInt(header, "qwen2.embedding_length");
  const heads = metaInt(header, "qwen2.attention.head_count");
  const headDim = metaInt(header, "qwen2.attention.key_length", Math.floor(hidden / heads));
  const ropeDims = metaNumber(header, "qwen2.rope.dimension_count");
  if (ropeDims !== undefined && ropeDims !== headDim) {
    throw new ModelConfigError(
      `${file} rotates ${ropeDims} of each head's ${headDim} dimensions (qwen2.rope.dimension_count); TAPO Studio supports full rotary embeddings only`,
    );
  }
  const config: Qwen2Config = {
    hidden,
    intermediate: metaInt(header, "qwen2.feed_forward_length"),
    layers: metaInt(header, "qwen2.block_count"),
    heads,
    kvHeads: metaInt(header, "qwen2.attention.head_count_kv", heads),
    headDim,
    vocab: embed.dims[1] as number,
    rmsEps: metaPositive(header, "qwen2.attention.layer_norm_rms_epsilon", 1e-6),
    ropeTheta: metaPositive(header, "qwen2.rope.freq_base", 10000),
    tieEmbeddings: !tensors.has("output.weight"),
    maxPositions: metaInt(header, "qwen2.context_length", 32768),
  };
  validateConfig(config);
  return config;
}

export type GgufLoadOptions = {
  /** Format for matrices stored as F32/F16/BF16/K-quants (Q4_0/Q8_0 matrices stay as they are). */
  quant: WeightFormat;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  sink: TensorSink;
  /** Bytes per range read at most (default ~32 MB; tests use small chunks). */
  chunkBytes?: number;
};

/**
 * Loads a Qwen2 GGUF: reads the header, checks every needed tensor (present,
 * right dims, loadable type) before reading any data, then emits each tensor
 * to `opts.sink` under its HF name — matrices (rows, cols) as WeightMatrix,
 * vectors as Float32Array — reading at most ~32 MB at a time, reporting
 * progress in bytes of tensor data and honouring `opts.signal`.
 */
export async function loadGgufModel(
  src: ByteSource,
  opts: GgufLoadOptions,
): Promise<{ config: Qwen2Config; header: GgufHeader }> {
  const header = await readGgufHeader(src, opts.signal);
  const config = configFromGguf(header, src.name);
  const tensors = tensorByName(header);
  const specs = qwen2GgufTensors(config);
  const plan = specs.map((spec) => {
    const info = tensors.get(spec.gguf);
    if (!info) {
      throw new GgufModelError(
        `${src.name} has no tensor "${spec.gguf}" (${spec.hf}), which a Qwen2 model with this config needs: ` +
          "the file is incomplete or not a Qwen2 model. Convert it again with llama.cpp.",
      );
    }
    if (info.dims.length !== spec.dims.length || info.dims.some((d, i) => d !== spec.dims[i])) {
      throw new GgufModelError(
        `${src.name}: tensor "${spec.gguf}" has dims [${info.dims.join(", ")}] but the model's metadata implies [${spec.dims.join(", ")}]: ` +
          "the file's metadata and tensors disagree.",
      );
    }
    checkLoadableType(info);
    return { spec, info };
  });
  // Read in file order, so range requests move forward through the file.
  plan.sort((a, b) => a.info.offset - b.info.offset);
  const bytesTotal = plan.reduce((sum, p) => sum + p.info.bytes, 0);
  let bytesDone = 0;
  const onBytes = (n: number) => {
    bytesDone += n;
    opts.onProgress?.({ bytesDone, bytesTotal, file: src.name });
  };
  const read = { signal: opts.signal, onBytes, chunkBytes: opts.chunkBytes };
  for (const { spec, info } of plan) {
    throwIfCancelled(opts.signal);
    const value = spec.matrix
      ? await readGgufMatrix(src, info, spec.dims[1] as number, spec.dims[0] as number, opts.quant, read)
      : await readGgufVector(src, info, read);
    await opts.sink({ name: spec.hf, value });
  }
  return { config, header };
}

