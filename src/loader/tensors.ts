// What model loaders emit: tensors under their Hugging Face Qwen2 names, one at
// a time, in the kernel formats. A sink decides where they go (the GPU for the
// app, a CPU ModelWeights for tests), so a whole model never sits in memory twice.
import type { WeightMatrix } from "../quant/weights";

/** 2-D weights (embeddings, linear layers) as WeightMatrix; 1-D tensors (norms, biases) as f32. */
export type LoadedTensor = { name: string; value: WeightMatrix | Float32Array };

export type TensorSink = (tensor: LoadedTensor) => void | Promise<void>;

/** Loading progress: bytes read of the total, and the file being read. */
export type LoadProgress = { bytesDone: number; bytesTotal: number; file: string };

export type ProgressCallback = (progress: LoadProgress) => void;

/** Raised when the user cancels a load. */
export class LoadCancelledError extends Error {
  constructor() {
    super("loading was cancelled");
    this.name = "LoadCancelledError";
  }
}

/** Throws LoadCancelledError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LoadCancelledError();
}
