// The trainable state of a runtime as plain arrays, for checkpoints: each
// trainable tensor's parameters and its AdamW moments m and v, by name (PEFT
// names for LoRA). Reading copies from the GPU; writing replaces the GPU
// contents after checking every name and length, so a checkpoint of another
// model or adapter shape is refused before anything is overwritten.
import { readF32 } from "../gpu/kernel";
import type { Trainable } from "./gpu_model";

/** One trainable tensor's state: parameters, first and second AdamW moments (each of its n elements). */
export type TensorState = { param: Float32Array; m: Float32Array; v: Float32Array };

export type TrainableState = Map<string, TensorState>;

/** Thrown when a saved state does not match the model's trainable tensors. */
export class TrainableStateMismatchError extends Error {
  constructor(detail: string) {
    super(`the checkpoint does not fit this model: ${detail}. Resume with the same model and LoRA settings, or start a new run`);
    this.name = "TrainableStateMismatchError";
  }
}

export async function readTrainableState(device: GPUDevice, trainables: readonly Trainable[]): Promise<TrainableState> {
  const out: TrainableState = new Map();
  for (const t of trainables) {
    out.set(t.name, {
      param: await readF32(device, t.param, t.n),
      m: await readF32(device, t.m, t.n),
      v: await readF32(device, t.v, t.n),
    });
  }
  return out;
}

export function writeTrainableState(device: GPUDevice, trainables: readonly Trainable[], state: TrainableState): void {
  const names = new Set(trainables.map((t) => t.name));
  const extra = [...state.keys()].filter((k) => !names.has(k));
  if (extra.length > 0) throw new TrainableStateMismatchError(`it holds ${extra[0]}, which this model does not train`);
  for (const t of trainables) {
    const s = state.get(t.name);
    if (!s) throw new TrainableStateMismatchError(`it has no ${t.name}`);
    for (const part of ["param", "m", "v"] as const) {
      if (s[part].length !== t.n) throw new TrainableStateMismatchError(`${t.name}.${part} has ${s[part].length} values, the model ${t.n}`);
    }
  }
  for (const t of trainables) {
    const s = state.get(t.name)!;
    device.queue.writeBuffer(t.param, 0, s.param as Float32Array<ArrayBuffer>);
    device.queue.writeBuffer(t.m, 0, s.m as Float32Array<ArrayBuffer>);
    device.queue.writeBuffer(t.v, 0, s.v as Float32Array<ArrayBuffer>);
  }
}
