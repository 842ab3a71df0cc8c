// A model load's progress and cancellation. What loaders emit (tensors into a
// TensorSink) is a contract of its own, in src/protocol/tensors.ts.

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
