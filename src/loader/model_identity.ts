// What tells one base model from another when a run resumes: the quantization,
// a fingerprint of config.json, and a fingerprint of the weights taken from a
// few slices of every weight file (their sizes and 4 KiB at a quarter, half and
// three quarters of each). Two fine-tunes of one architecture have identical
// headers and shapes but different bytes there; reading 12 KiB a file keeps
// this instant even for a 7B model behind HTTP range reads.
import type { FileSet } from "../io/source";
import type { WeightFormat } from "../protocol/tensors";
import { FNV1A_START, fnv1a, fnv1aHex, fnv1aUpdate } from "../util/fnv1a";

export type ModelIdentity = {
  /** The name the user gave the model (a hub id, a path), for messages only. */
  label: string;
  quant: WeightFormat;
  /** fnv1a of config.json (or, for a GGUF file, of its first 64 KiB: the header with the metadata). */
  config: string;
  /** fnv1a over each weight file's name, size and three 4 KiB slices. */
  weights: string;
};

const SLICE = 4096;
const WEIGHT_FILE = /\.(safetensors|gguf|bin)$/;

/** The identity of the model in `files`, loaded at `quant`. */
export async function modelIdentity(files: FileSet, quant: WeightFormat, signal?: AbortSignal): Promise<ModelIdentity> {
  const names = files.list().filter((n) => WEIGHT_FILE.test(n)).sort();
  const text = new TextEncoder();
  let weights = FNV1A_START;
  for (const name of names) {
    const file = files.get(name)!;
    weights = fnv1aUpdate(weights, text.encode(`${name}:${file.size}`));
    for (const at of [0.25, 0.5, 0.75]) {
      const offset = Math.max(0, Math.min(file.size - SLICE, Math.floor(file.size * at)));
      weights = fnv1aUpdate(weights, await file.read(offset, Math.min(SLICE, file.size), signal));
    }
  }
  const configFile = files.get("config.json");
  const gguf = names.find((n) => n.endsWith(".gguf"));
  const configBytes = configFile
    ? await configFile.read(0, configFile.size, signal)
    : gguf
      ? await files.get(gguf)!.read(0, Math.min(65536, files.get(gguf)!.size), signal)
      : new Uint8Array();
  return { label: files.label, quant, config: fnv1a(configBytes), weights: fnv1aHex(weights) };
}

/** How `now` differs from `saved` (the model a run was trained on), or undefined when it is the same model. */
export function identityDifference(saved: ModelIdentity, now: ModelIdentity): string | undefined {
  const what: string[] = [];
  if (saved.weights !== now.weights) what.push("other weights");
  if (saved.config !== now.config) what.push("another config");
  if (saved.quant !== now.quant) what.push(`quantization ${now.quant} instead of ${saved.quant}`);
  if (what.length === 0) return undefined;
  return `the run was trained on ${saved.label} (${saved.quant}); ${now.label} has ${what.join(", ")}`;
}
