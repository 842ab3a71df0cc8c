// Checkpoints of a training run, in a StorageDir rooted at the run's folder:
//
//   checkpoints/step-000012/adapter/adapter_config.json      PEFT, loadable by PEFT and vLLM
//   checkpoints/step-000012/adapter/adapter_model.safetensors
//   checkpoints/step-000012/optimizer.safetensors           AdamW m and v per tensor ("<name>#m", "<name>#v")
//   checkpoints/step-000012/state.json                      step, optimizer steps, seed, config (CheckpointState)
//   checkpoints/step-000012/manifest.json                   written LAST: each file's size and FNV-1a hash
//
// What the run logged (metrics, evaluations, traces) is not in here but in the
// run's per-step log (run_log.ts), so a checkpoint costs the same at step 1000
// as at step 1. Checkpoints written before that log existed also hold
// metrics.jsonl, evals.jsonl and traces.jsonl with everything up to the step;
// they are still read (legacyHistory).
//
// A checkpoint without a manifest, or whose files do not match it, is half
// written (a closed tab, a lost device, a full disk) and is never taken as
// whole: loading falls back to the previous one and says why. The random
// state is the run's seed plus the step: every step derives its task order and
// sampling seeds from (seed, step), so resuming at step k repeats exactly what
// an uninterrupted run would have done from k on.
import type { ModelIdentity } from "../loader/model_identity";
import { readRowsF32, readSafetensorsHeader, tensorRowsCols, writeSafetensors } from "../formats/safetensors";
import { bytesSource } from "../io/source";
import type { LoraSettings } from "../protocol/lora";
import { peftConfigJson } from "../model/peft_config";
import type { TrainableState } from "../model/trainable_state";
import type { Trace } from "../protocol/trace";
import { fromUtf8, type StorageDir, utf8 } from "../storage/dir";
import { fnv1a } from "../util/fnv1a";
import type { EvalMetrics, RunHistory, StepMetrics } from "../protocol/run";
import type { DapoConfig } from "../protocol/dapo_config";

/** What state.json holds. */
export type CheckpointState = {
  v: 1;
  runId: string;
  model: string;
  /** Optimizer steps (training steps) completed. */
  step: number;
  /** AdamW's own step counter (bias correction); steps × mini-batches. */
  optimizerSteps: number;
  seed: number;
  config: DapoConfig;
  lora: LoraSettings;
  /** The base model trained on (absent in checkpoints from before it was recorded). */
  modelIdentity?: ModelIdentity;
  saved: string;
};

export type Checkpoint = {
  state: CheckpointState;
  trainable: TrainableState;
  /** Shape of each trainable tensor (PEFT: A is [r, in], B is [out, r]). */
  shapes: Map<string, number[]>;
  /** Only in checkpoints written before the per-step log: everything logged up to the step. */
  legacyHistory?: RunHistory;
};

type Manifest = { v: 1; step: number; files: Record<string, { bytes: number; fnv1a: string }> };

const ROOT = "checkpoints";
const MANIFEST = "manifest.json";
const folderOf = (step: number) => `${ROOT}/step-${String(step).padStart(6, "0")}`;

function parseJsonl<T>(bytes: Uint8Array): T[] {
  return fromUtf8(bytes)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/** The PEFT adapter files of a LoRA trainable state. */
export function adapterFiles(ckpt: Pick<Checkpoint, "trainable" | "shapes">, lora: LoraSettings, baseModel: string): Record<string, Uint8Array> {
  const tensors = [...ckpt.trainable].map(([name, s]) => ({ name, dtype: "F32" as const, shape: ckpt.shapes.get(name)!, data: s.param }));
  return {
    "adapter_config.json": utf8(JSON.stringify(peftConfigJson(lora, baseModel), null, 2)),
    "adapter_model.safetensors": writeSafetensors(tensors, { format: "pt" }),
  };
}

/** Writes a checkpoint (manifest last), then deletes all but the newest `keep` whole checkpoints. */
export async function saveCheckpoint(dir: StorageDir, ckpt: Checkpoint, keep = 2): Promise<void> {
  const folder = folderOf(ckpt.state.step);
  await dir.remove(folder); // a half-written earlier attempt at this step
  const moments = [...ckpt.trainable].flatMap(([name, s]) => [
    { name: `${name}#m`, dtype: "F32" as const, shape: ckpt.shapes.get(name)!, data: s.m },
    { name: `${name}#v`, dtype: "F32" as const, shape: ckpt.shapes.get(name)!, data: s.v },
  ]);
  const adapter = adapterFiles(ckpt, ckpt.state.lora, ckpt.state.model);
  const files: Record<string, Uint8Array> = {
    "adapter/adapter_config.json": adapter["adapter_config.json"]!,
    "adapter/adapter_model.safetensors": adapter["adapter_model.safetensors"]!,
    "optimizer.safetensors": writeSafetensors(moments, { format: "pt" }),
    "state.json": utf8(JSON.stringify(ckpt.state, null, 2)),
  };
  const manifest: Manifest = { v: 1, step: ckpt.state.step, files: {} };
  for (const [name, bytes] of Object.entries(files)) {
    await dir.write(`${folder}/${name}`, bytes);
    manifest.files[name] = { bytes: bytes.length, fnv1a: fnv1a(bytes) };
  }
  await dir.write(`${folder}/${MANIFEST}`, utf8(JSON.stringify(manifest)));
  const whole = (await listCheckpoints(dir)).filter((s) => s !== ckpt.state.step);
  for (const step of whole.slice(0, Math.max(0, whole.length - (keep - 1)))) await dir.remove(folderOf(step));
}

/** Steps that have a checkpoint folder, oldest first (whole or not). */
export async function listCheckpoints(dir: StorageDir): Promise<number[]> {
  return (await dir.list(ROOT))
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

async function readTensors(bytes: Uint8Array, file: string): Promise<Map<string, { data: Float32Array; shape: number[] }>> {
  const src = bytesSource(file, bytes);
  const header = await readSafetensorsHeader(src);
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const [name, info] of header.tensors) {
    out.set(name, { data: await readRowsF32(src, info, 0, tensorRowsCols(info)[0]), shape: info.shape });
  }
  return out;
}

/** Reads and checks the checkpoint at `step`; throws with the reason it is not whole. */
async function readCheckpoint(dir: StorageDir, step: number): Promise<Checkpoint> {
  const folder = folderOf(step);
  const manifestBytes = await dir.read(`${folder}/${MANIFEST}`);
  if (!manifestBytes) throw new Error(`the checkpoint of step ${step} has no manifest (it was being written when the run stopped)`);
  const manifest = JSON.parse(fromUtf8(manifestBytes)) as Manifest;
  const files = new Map<string, Uint8Array>();
  for (const [name, want] of Object.entries(manifest.files)) {
    const bytes = await dir.read(`${folder}/${name}`);
    if (!bytes) throw new Error(`the checkpoint of step ${step} lacks ${name}`);
    if (bytes.length !== want.bytes || fnv1a(bytes) !== want.fnv1a) {
      throw new Error(`the checkpoint of step ${step} has a damaged ${name} (${bytes.length} bytes, ${want.bytes} expected)`);
    }
    files.set(name, bytes);
  }
  const need = (name: string) => {
    const b = files.get(name);
    if (!b) throw new Error(`the checkpoint of step ${step} lists no ${name}`);
    return b;
  };
  const state = JSON.parse(fromUtf8(need("state.json"))) as CheckpointState;
  if (state.v !== 1) throw new Error(`the checkpoint of step ${step} has version ${String(state.v)}, which this TAPO Studio does not know`);
  const params = await readTensors(need("adapter/adapter_model.safetensors"), "adapter_model.safetensors");
  const moments = await readTensors(need("optimizer.safetensors"), "optimizer.safetensors");
  const trainable: TrainableState = new Map();
  const shapes = new Map<string, number[]>();
  for (const [name, p] of params) {
    const m = moments.get(`${name}#m`);
    const v = moments.get(`${name}#v`);
    if (!m || !v) throw new Error(`the checkpoint of step ${step} has no optimizer moments for ${name}`);
    trainable.set(name, { param: p.data, m: m.data, v: v.data });
    shapes.set(name, p.shape);
  }
  const legacy = files.has("traces.jsonl")
    ? { legacyHistory: { metrics: parseJsonl<StepMetrics>(need("metrics.jsonl")), evals: parseJsonl<EvalMetrics>(need("evals.jsonl")), traces: parseJsonl<Trace>(need("traces.jsonl")) } }
    : {};
  return { state, trainable, shapes, ...legacy };
}

/** The newest whole checkpoint (or undefined), and why any newer ones were passed over. */
export async function loadLatestCheckpoint(dir: StorageDir): Promise<{ checkpoint?: Checkpoint; skipped: string[] }> {
  const skipped: string[] = [];
  for (const step of (await listCheckpoints(dir)).reverse()) {
    try {
      return { checkpoint: await readCheckpoint(dir, step), skipped };
    } catch (error) {
      skipped.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { skipped };
}
