// Loads a Hugging Face Qwen2 folder (config.json + model.safetensors, or shards
// listed by model.safetensors.index.json) tensor by tensor into a TensorSink:
// matrices quantized to the kernel format in row chunks of at most ~32 MB, so
// no tensor is ever read whole; vectors (norms, biases) as f32.
import { type ByteSource, type FileSet, readJson } from "../io/source";
import { type Qwen2Config, parseQwen2Config } from "../model/config";
import type { WeightFormat } from "../protocol/tensors";
import {
  type SafetensorsTensorInfo,
  floatDtypeOf,
  readRowsF32,
  readSafetensorsHeader,
  rowsPerChunk,
} from "../formats/safetensors";
import { WeightMatrixAssembler } from "./hf_matrix";
import { type ExpectedTensor, expectedTensors } from "./hf_tensors";
import { LoadCancelledError, type ProgressCallback, throwIfCancelled } from "./load_progress";
import { type TensorSink } from "../protocol/tensors";

export { collectModelWeights } from "./hf_collect";

export const INDEX_FILE = "model.safetensors.index.json";
export const SINGLE_FILE = "model.safetensors";

/** A folder that does not hold a loadable Qwen2 checkpoint; the message says what is missing or wrong. */
export class HfFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HfFolderError";
  }
}

export type HfLoadOptions = {
  /** The kernel format matrices are stored in (quantized here, chunk by chunk). */
  quant: WeightFormat;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  sink: TensorSink;
  /** Most bytes read at once (default 32 MiB); tests lower it to exercise chunking. */
  chunkBytes?: number;
};

/** "a, b, c" of a folder's files (at most 20 named), for messages. */
export function describeFiles(files: FileSet): string {
  const names = files.list();
  if (names.length === 0) return "it has no files";
  const shown = names.slice(0, 20).join(", ");
  return `it has: ${shown}${names.length > 20 ? ` and ${names.length - 20} more` : ""}`;
}

type Located = { src: ByteSource; info: SafetensorsTensorInfo };

async function readConfig(files: FileSet, signal?: AbortSignal): Promise<Qwen2Config> {
  const src = files.get("config.json");
  if (!src) {
    throw new HfFolderError(
      `${files.label} has no config.json (${describeFiles(files)}): a Hugging Face model folder needs config.json, ` +
        "the *.safetensors weights and the tokenizer files; pick the folder that holds them all",
    );
  }
  return parseQwen2Config(await readJson(src, signal));
}

/** The shard files to read, and the index's tensor -> shard map when there is one. */
async function shardNames(files: FileSet, signal?: AbortSignal): Promise<{ shards: string[]; weightMap?: Map<string, string> }> {
  const index = files.get(INDEX_FILE);
  if (index) {
    const raw = (await readJson(index, signal)) as { weight_map?: unknown } | null;
    const map = raw?.weight_map;
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
      throw new HfFolderError(`${INDEX_FILE} in ${files.label} has no "weight_map" object: the index is damaged; fetch it again`);
    }
    const weightMap = new Map<string, string>();
    for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
      if (typeof shard !== "string") throw new HfFolderError(`${INDEX_FILE}: tensor ${tensor} maps to ${JSON.stringify(shard)}, not a file name`);
      weightMap.set(tensor, shard);
    }
    return { shards: [...new Set(weightMap.values())], weightMap };
  }
  if (files.get(SINGLE_FILE)) return { shards: [SINGLE_FILE] };
  const loose = files
    .list()
    .filter((n) => n.endsWith(".safetensors") && !n.includes("/") && n !== "adapter_model.safetensors")
    .sort();
  if (loose.length > 0) return { shards: loose };
  const pytorch = files.list().some((n) => n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth"));
  throw new HfFolderError(
    `${files.label} has no ${SINGLE_FILE} or ${INDEX_FILE} (${describeFiles(files)}): ` +
      (pytorch
        ? "PyTorch .bin weights are not read; save the model with safe_serialization=True (safetensors) or pick a GGUF file"
        : "pick the folder that holds the model's *.safetensors weights"),
  );
}

async function openShards(files: FileSet, signal?: AbortSignal): Promise<{ located: Map<string, Located>; weightMap?: Map<string, string> }> {
  const { shards, weightMap } = await shardNames(files, signal);
  const located = new Map<string, Located>();
  for (const shard of shards) {
    const src = files.get(shard);
    if (!src) {
      const example = weightMap ? [...weightMap].find(([, s]) => s === shard)?.[0] : undefined;
      throw new HfFolderError(
        `${INDEX_FILE} names the shard ${shard}${example ? ` (holding ${example})` : ""}, but ${files.label} has no such file ` +
          `(${describeFiles(files)}): the download is incomplete; fetch the missing shard`,
      );
    }
    const header = await readSafetensorsHeader(src, signal);
    for (const [name, info] of header.tensors) {
      const owner = weightMap?.get(name);
      if (owner !== undefined && owner !== shard) continue;
      if (!located.has(name)) located.set(name, { src, info });
    }
  }
  return { located, weightMap };
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Finds every expected tensor and checks its shape and dtype before any data is read. */
function plan(
  files: FileSet,
  config: Qwen2Config,
  located: Map<string, Located>,
  weightMap?: Map<string, string>,
): { want: ExpectedTensor; at: Located }[] {
  return expectedTensors(config).map((want) => {
    const at = located.get(want.name);
    if (!at) {
      const shard = weightMap?.get(want.name);
      throw new HfFolderError(
        shard
          ? `${INDEX_FILE} puts tensor ${want.name} in ${shard}, but that file has no such tensor: the shard or the index is damaged; fetch them again`
          : `${files.label} has no tensor ${want.name}, which a Qwen2 model with this config.json needs: ` +
              "the weights are incomplete or belong to another architecture",
      );
    }
    if (!sameShape(at.info.shape, want.shape)) {
      throw new HfFolderError(
        `tensor ${want.name} in ${at.src.name} has shape [${at.info.shape.join(", ")}] but config.json implies ` +
          `[${want.shape.join(", ")}]: the weights and config.json come from different models`,
      );
    }
    floatDtypeOf(at.info, at.src.name);
    return { want, at };
  });
}

/**
 * Reads config.json and every tensor of the Qwen2 model, emitting each to `sink` under its HF name
 * (matrices as WeightMatrix in `quant`, vectors as Float32Array; lm_head.weight only when not tied).
 * Reports progress in tensor bytes read; throws LoadCancelledError when `signal` fires.
 */
export async function loadHfFolder(files: FileSet, opts: HfLoadOptions): Promise<{ config: Qwen2Config; emitted: string[] }> {
  const { signal, onProgress, sink, quant } = opts;
  try {
    throwIfCancelled(signal);
    const config = await readConfig(files, signal);
    const { located, weightMap } = await openShards(files, signal);
    const todo = plan(files, config, located, weightMap);
    const bytesTotal = todo.reduce((sum, t) => sum + (t.at.info.end - t.at.info.begin), 0);
    let bytesDone = 0;
    onProgress?.({ bytesDone, bytesTotal, file: todo[0]?.at.src.name ?? "" });
    const emitted: string[] = [];
    for (const { want, at } of todo) {
      throwIfCancelled(signal);
      const rowBytes = (at.info.end - at.info.begin) / Math.max(1, want.kind === "matrix" ? (want.shape[0] as number) : 1);
      if (want.kind === "vector") {
        const value = await readRowsF32(at.src, at.info, 0, 1, signal);
        bytesDone += rowBytes;
        onProgress?.({ bytesDone, bytesTotal, file: at.src.name });
        await sink({ name: want.name, value });
      } else {
        const [rows, cols] = want.shape as [number, number];
        const matrix = new WeightMatrixAssembler(quant, rows, cols);
        const step = rowsPerChunk(at.info, opts.chunkBytes);
        for (let r = 0; r < rows; r += step) {
          throwIfCancelled(signal);
          const n = Math.min(step, rows - r);
          matrix.add(await readRowsF32(at.src, at.info, r, n, signal));
          bytesDone += n * rowBytes;
          onProgress?.({ bytesDone, bytesTotal, file: at.src.name });
        }
        await sink({ name: want.name, value: matrix.finish() });
      }
      emitted.push(want.name);
    }
    return { config, emitted };
  } catch (error) {
    if (signal?.aborted && !(error instanceof LoadCancelledError)) throw new LoadCancelledError();
    throw error;
  }
}
