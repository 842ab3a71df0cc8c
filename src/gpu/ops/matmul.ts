// Launcher for shaders/matmul.wgsl (64 x 64 register-tiled), shaders/matmul_small_m.wgsl
// (few rows of C down a long K, e.g. decode) and shaders/matmul_direct.wgsl (CPU adapters):
// C = alpha · op(A) · op(B) + beta · C in f32.
import code from "../../../shaders/matmul.wgsl?raw";
import directCode from "../../../shaders/matmul_direct.wgsl?raw";
import smallMCode from "../../../shaders/matmul_small_m.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, params } from "../kernel";
import { kernelStyle } from "../kernel_style";
import { grid1d } from "./grid";

const TILE = 64;
/** M <= SMALL_M with K >= SMALL_M_MIN_K takes matmul_small_m.wgsl (K split over threads). */
export const SMALL_M = 8;
export const SMALL_M_MIN_K = 64;
const SMALL_M_LANES = 16; // threads per column of C in matmul_small_m.wgsl (256 / 16 columns a workgroup)
/** matmul_direct.wgsl (CPU adapters): 16 rows by 64 columns of C a workgroup. */
const DIRECT_M = 16;
const DIRECT_N = 64;

export type MatmulDims = {
  M: number;
  N: number;
  K: number;
  /** A is stored (K, M) instead of (M, K). */
  transA: boolean;
  /** B is stored (N, K) instead of (K, N). */
  transB: boolean;
  alpha: number;
  /** 0 overwrites C (never reads it), 1 accumulates into C. */
  beta: number;
  /** Element offsets (f32) of A, B and C inside their buffers; default 0. */
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
};

/**
 * C (M, N) = alpha · op(A) · op(B) + beta · C, with op(A): (M, K) stored as A (M, K) or,
 * when transA, as A (K, M); op(B): (K, N) stored as B (K, N) or, when transB, as B (N, K).
 * All f32, row-major; any M, N, K >= 1. C must not alias A or B. On a GPU, few rows (M <= SMALL_M)
 * down a long K (>= SMALL_M_MIN_K) take a split-K kernel, everything else the 64 x 64 tiled one;
 * a CPU adapter takes the barrier-free direct kernel for every shape.
 */
export function prepareMatmul(
  device: GPUDevice,
  io: { a: GPUBuffer; b: GPUBuffer; c: GPUBuffer },
  dims: MatmulDims,
): Dispatch {
  const { M, N, K } = dims;
  if (!(M >= 1 && N >= 1 && K >= 1)) throw new Error(`matmul: M, N, K must be >= 1, got (${M}, ${N}, ${K})`);
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  const direct = kernelStyle(device) === "cpu";
  const small = !direct && M <= SMALL_M && K >= SMALL_M_MIN_K;
  let groups: [number, number];
  if (small) {
    groups = grid1d(N, 256 / SMALL_M_LANES, max);
  } else {
    const [tm, tn] = direct ? [DIRECT_M, DIRECT_N] : [TILE, TILE];
    groups = [Math.ceil(N / tn), Math.ceil(M / tm)];
    if (groups[0] > max || groups[1] > max) throw new Error(`matmul: (${M}, ${N}) needs more than ${max} workgroups a dimension`);
  }
  const flags = `${dims.transA ? "t" : "n"}${dims.transB ? "t" : "n"}`;
  const label = direct ? `matmul_direct_${flags}` : small ? `matmul_small_m_${flags}` : `matmul_${flags}`;
  const kernel = getKernel(device, label, direct ? directCode : small ? smallMCode : code, {
    trans_a: dims.transA ? 1 : 0,
    trans_b: dims.transB ? 1 : 0,
    ...(small ? { lanes: SMALL_M_LANES } : {}),
  });
  const p = params(device, [
    ["u32", M],
    ["u32", N],
    ["u32", K],
    ["u32", dims.aOffset ?? 0],
    ["u32", dims.bOffset ?? 0],
    ["u32", dims.cOffset ?? 0],
    ["f32", dims.alpha],
    ["f32", dims.beta],
  ]);
  return makeDispatch(device, kernel, [io.a, io.b, io.c, p], groups);
}
