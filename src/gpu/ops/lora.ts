// Launchers for a LoRA adapter on a linear layer (PEFT convention: A (r, K), B (N, r),
// scale = lora_alpha / r), built from shaders/matmul.wgsl dispatches:
//   forward   u = x · Aᵀ;  y += scale · u · Bᵀ
//   backward  dB += scale · dyᵀ · u;  du = scale · dy · B;  dA += duᵀ · x;  dx (+)= du · A
import type { Dispatch } from "../kernel";
import { prepareMatmul } from "./matmul";

export type LoraDims = { M: number; K: number; N: number; r: number; scale: number };

/**
 * x: (M, K), A: (r, K), B: (N, r) -> u: (M, r) = x · Aᵀ (overwritten, saved for backward),
 * then y: (M, N) += scale · u · Bᵀ (y already holds the base layer's output).
 */
export function prepareLoraForward(
  device: GPUDevice,
  io: { x: GPUBuffer; A: GPUBuffer; B: GPUBuffer; u: GPUBuffer; y: GPUBuffer },
  dims: LoraDims,
): Dispatch[] {
  const { M, K, N, r, scale } = dims;
  return [
    prepareMatmul(device, { a: io.x, b: io.A, c: io.u }, { M, N: r, K, transA: false, transB: true, alpha: 1, beta: 0 }),
    prepareMatmul(device, { a: io.u, b: io.B, c: io.y }, { M, N, K: r, transA: false, transB: true, alpha: scale, beta: 1 }),
  ];
}

/**
 * Backward of prepareLoraForward. x: (M, K), u: (M, r), dy: (M, N), A: (r, K), B: (N, r) ->
 * dB: (N, r) += scale · dyᵀ · u; du: (M, r) = scale · dy · B (scratch, overwritten);
 * dA: (r, K) += duᵀ · x; dx: (M, K) = du · A, or += when accumulateDx (dx then already holds
 * the base layer's input gradient). dA and dB always accumulate (across micro-batches).
 */
export function prepareLoraBackward(
  device: GPUDevice,
  io: {
    x: GPUBuffer;
    u: GPUBuffer;
    dy: GPUBuffer;
    A: GPUBuffer;
    B: GPUBuffer;
    du: GPUBuffer;
    dA: GPUBuffer;
    dB: GPUBuffer;
    dx: GPUBuffer;
  },
  dims: LoraDims & { accumulateDx: boolean },
): Dispatch[] {
  const { M, K, N, r, scale } = dims;
  return [
    prepareMatmul(device, { a: io.dy, b: io.u, c: io.dB }, { M: N, N: r, K: M, transA: true, transB: false, alpha: scale, beta: 1 }),
    prepareMatmul(device, { a: io.dy, b: io.B, c: io.du }, { M, N: r, K: N, transA: false, transB: false, alpha: scale, beta: 0 }),
    prepareMatmul(device, { a: io.du, b: io.x, c: io.dA }, { M: r, N: K, K: M, transA: true, transB: false, alpha: 1, beta: 1 }),
    prepareMatmul(
      device,
      { a: io.du, b: io.A, c: io.dx },
      { M, N: K, K: r, transA: false, transB: false, alpha: 1, beta: dims.accumulateDx ? 1 : 0 },
    ),
  ];
}
