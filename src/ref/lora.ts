// float64 reference of a LoRA adapter on a linear layer (PEFT: A (r, K), B (N, r), scale = lora_alpha / r).
// forward: u = x · Aᵀ (M, r); y = y0 + scale · u · Bᵀ (M, N). backward: the gradients of A, B and x.
import { matmulRef } from "./matmul";

export type LoraRefDims = { M: number; K: number; N: number; r: number; scale: number };

/** x: (M, K), A: (r, K), B: (N, r), y0: (M, N) -> u: (M, r), y: (M, N) = y0 + scale · u · Bᵀ. */
export function loraForwardRef(
  x: ArrayLike<number>,
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  y0: ArrayLike<number>,
  dims: LoraRefDims,
): { u: Float64Array; y: Float64Array } {
  const { M, K, N, r, scale } = dims;
  const u = matmulRef(x, A, undefined, { M, N: r, K, transA: false, transB: true, alpha: 1, beta: 0 });
  const y = matmulRef(u, B, y0, { M, N, K: r, transA: false, transB: true, alpha: scale, beta: 1 });
  return { u, y };
}

/** dy: (M, N) -> dA: (r, K), dB: (N, r), du: (M, r), dx: (M, K) (the adapter's part of the input gradient). */
export function loraBackwardRef(
  x: ArrayLike<number>,
  u: ArrayLike<number>,
  dy: ArrayLike<number>,
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  dims: LoraRefDims,
): { dA: Float64Array; dB: Float64Array; du: Float64Array; dx: Float64Array } {
  const { M, K, N, r, scale } = dims;
  const dB = matmulRef(dy, u, undefined, { M: N, N: r, K: M, transA: true, transB: false, alpha: scale, beta: 0 });
  const du = matmulRef(dy, B, undefined, { M, N: r, K: N, transA: false, transB: false, alpha: scale, beta: 0 });
  const dA = matmulRef(du, x, undefined, { M: r, N: K, K: M, transA: true, transB: false, alpha: 1, beta: 0 });
  const dx = matmulRef(du, A, undefined, { M, N: K, K: r, transA: false, transB: false, alpha: 1, beta: 0 });
  return { dA, dB, du, dx };
}
