// The output head fused with log-softmax, in vocabulary chunks so the (M, V) logits
// never exist at once. Per chunk of Vc vocabulary rows: z (M, Vc) = h · W[chunk]ᵀ
// (prepareLinearForward), then shaders/head_reduce_forward.wgsl folds z into running
// per-row softmax statistics; shaders/head_finalize.wgsl writes logp and entropy.
// The backward recomputes each chunk's logits, turns them into dz in place
// (shaders/head_backward_dlogits.wgsl) and feeds dh (+)= dz · W[chunk] and, for a
// trainable f32 head, dW[chunk] (+)= dzᵀ · h.
//
// Padding rows (target >= V) get logp = 0 (not -Infinity), a constant with no gradient;
// their entropy is computed, and weighted by `went`, as for any other row.
import dlogitsCode from "../../../shaders/head_backward_dlogits.wgsl?raw";
import finalizeCode from "../../../shaders/head_finalize.wgsl?raw";
import reduceCode from "../../../shaders/head_reduce_forward.wgsl?raw";
import { type Dispatch, getKernel, makeDispatch, storageBuffer, uniformU32 } from "../kernel";
import type { GpuWeight } from "../weights";
import { grid1d } from "./grid";
import { prepareLinearBackwardInput, prepareLinearForward, prepareLinearWeightGrad } from "./linear";
import { HEAD_DEFAULT_CHUNK, headChunkRows } from "./head_chunk";
import { kernelStyle } from "../kernel_style";

const REDUCE_WG = 128;
/** Threads per row of the row reductions on CPU adapters, where every barrier switches between lanes (kernel_style.ts). */
const CPU_WG = 4;
const FINALIZE_WG = 64;
const DLOGITS_WG = 64;

export { HEAD_DEFAULT_CHUNK, HEAD_MAX_LOGITS_BYTES } from "./head_chunk";

/** The chunk the head uses for M rows and vocabulary V on this device (see headChunkRows). */
export function headChunkSize(device: GPUDevice, M: number, V: number, requested = HEAD_DEFAULT_CHUNK): number {
  return headChunkRows(M, V, device.limits.maxStorageBufferBindingSize, requested);
}

/** One chunk's place: vocabulary rows [start, start + rows) of V; `first` starts fresh statistics. */
export type HeadChunkDims = { M: number; V: number; start: number; rows: number; first: boolean };

function chunkParams(device: GPUDevice, d: HeadChunkDims): GPUBuffer {
  return uniformU32(device, [d.M, d.V, d.start, d.rows, d.first ? 1 : 0], "head.chunk");
}

/**
 * Folds one chunk of logits into the running statistics.
 * z: (M, rows) f32, targets: (M) u32, stats: (M, 4) f32 (max, Σe^(z−max), Σe^(z−max)(z−max), z_target).
 */
export function prepareHeadReduce(
  device: GPUDevice,
  io: { z: GPUBuffer; targets: GPUBuffer; stats: GPUBuffer },
  dims: HeadChunkDims,
  chunkUniform = chunkParams(device, dims),
): Dispatch {
  const kernel = getKernel(device, "head_reduce_forward", reduceCode, { wg_size: kernelStyle(device) === "cpu" ? CPU_WG : REDUCE_WG });
  const grid = grid1d(dims.M, 1, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.z, io.targets, io.stats, chunkUniform], grid);
}

/**
 * stats: (M, 4), targets: (M) u32 -> logp: (M), entropy: (M), rowStats: (M, 2) (lse, entropy) for the backward.
 */
export function prepareHeadFinalize(
  device: GPUDevice,
  io: { stats: GPUBuffer; targets: GPUBuffer; logp: GPUBuffer; entropy: GPUBuffer; rowStats: GPUBuffer },
  dims: { M: number; V: number },
): Dispatch {
  const kernel = getKernel(device, "head_finalize", finalizeCode, { wg_size: FINALIZE_WG });
  const grid = grid1d(dims.M, FINALIZE_WG, device.limits.maxComputeWorkgroupsPerDimension);
  return makeDispatch(device, kernel, [io.stats, io.targets, io.logp, io.entropy, io.rowStats, uniformU32(device, [dims.M, dims.V])], grid);
}

/**
 * z: (M, rows) logits of one chunk -> dz in place, for L = Σ wlogp·logp + went·entropy.
 * targets: (M) u32, rowStats: (M, 2) from prepareHeadFinalize, wlogp, went: (M) f32.
 */
export function prepareHeadDlogits(
  device: GPUDevice,
  io: { z: GPUBuffer; targets: GPUBuffer; rowStats: GPUBuffer; wlogp: GPUBuffer; went: GPUBuffer },
  dims: HeadChunkDims,
  chunkUniform = chunkParams(device, dims),
): Dispatch {
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  if (dims.M > max) throw new Error(`head: ${dims.M} rows exceed ${max} workgroups a dimension; split the batch`);
  const kernel = getKernel(device, "head_backward_dlogits", dlogitsCode, { wg_size: DLOGITS_WG });
  return makeDispatch(
    device,
    kernel,
    [io.z, io.targets, io.rowStats, io.wlogp, io.went, chunkUniform],
    [Math.ceil(dims.rows / DLOGITS_WG), dims.M],
  );
}

/** Gradient inputs of the head's backward: ∂L/∂logp and ∂L/∂entropy per row, and where dh goes. */
export type HeadBackwardIO = {
  /** (M) f32 ∂L/∂logp. */
  wlogp: GPUBuffer;
  /** (M) f32 ∂L/∂entropy. */
  went: GPUBuffer;
  /** (M, C) f32 gradient w.r.t. h. */
  dh: GPUBuffer;
  /** true adds into dh, false overwrites it. */
  accumulateDh: boolean;
  /** With opts.weightGrad: true adds into it (micro-batches, tied embeddings), false (default) overwrites. */
  accumulateDw?: boolean;
};

export type HeadPlan = {
  /** Vocabulary rows per chunk. */
  chunk: number;
  /** (M) f32 log softmax(z_m)[targets[m]] (0 where targets[m] >= V). */
  logp: GPUBuffer;
  /** (M) f32 −Σ p log p of each row. */
  entropy: GPUBuffer;
  /** Dispatches filling logp and entropy (and the lse the backward reads). */
  forward(): Dispatch[];
  /**
   * Dispatches for dh (+)= ∂L/∂h and, with opts.weightGrad, dW (+)= ∂L/∂W, where
   * L = Σ wlogp·logp + went·entropy. Needs forward() to have run on the same h.
   * Built once per distinct io and reused on later calls with the same buffers.
   */
  backward(io: HeadBackwardIO): Dispatch[];
  /** Frees the plan's own buffers (logits chunk, statistics, logp, entropy). */
  destroy(): void;
};

/**
 * The chunked head for h: (M, C) f32, w: (V, C) (f32, Q8_0 or Q4_0), targets: (M) u32.
 * dims.chunk: vocabulary rows per chunk (default 8192, see headChunkSize).
 * opts.weightGrad: (V, C) f32 gradient of a trainable f32 head weight.
 */
export function prepareHead(
  device: GPUDevice,
  io: { h: GPUBuffer; w: GpuWeight; targets: GPUBuffer },
  dims: { M: number; chunk?: number },
  opts: { weightGrad?: GPUBuffer } = {},
): HeadPlan {
  const { M } = dims;
  const V = io.w.rows;
  const C = io.w.cols;
  if (!(M >= 1)) throw new Error(`head: M must be >= 1, got ${M}`);
  if (opts.weightGrad && io.w.format !== "f32") {
    throw new Error(`head: a weight gradient needs an f32 head weight, got ${io.w.format}`);
  }
  const chunk = headChunkSize(device, M, V, dims.chunk);
  const z = storageBuffer(device, M * chunk * 4, "head.logits");
  const stats = storageBuffer(device, M * 16, "head.stats");
  const rowStats = storageBuffer(device, M * 8, "head.rowstats");
  const logp = storageBuffer(device, M * 4, "head.logp");
  const entropy = storageBuffer(device, M * 4, "head.entropy");

  const chunks: (HeadChunkDims & { uniform: GPUBuffer; logits: Dispatch })[] = [];
  for (let start = 0; start < V; start += chunk) {
    const d: HeadChunkDims = { M, V, start, rows: Math.min(chunk, V - start), first: start === 0 };
    chunks.push({
      ...d,
      uniform: chunkParams(device, d),
      logits: prepareLinearForward(device, { x: io.h, w: io.w, y: z }, { M, rowStart: start, rows: d.rows }),
    });
  }
  const forwardDispatches = [
    ...chunks.flatMap((c) => [c.logits, prepareHeadReduce(device, { z, targets: io.targets, stats }, c, c.uniform)]),
    prepareHeadFinalize(device, { stats, targets: io.targets, logp, entropy, rowStats }, { M, V }),
  ];

  const built: { io: HeadBackwardIO; dispatches: Dispatch[] }[] = [];
  const buildBackward = (b: HeadBackwardIO): Dispatch[] =>
    chunks.flatMap((c) => {
      const list = [
        c.logits,
        prepareHeadDlogits(device, { z, targets: io.targets, rowStats, wlogp: b.wlogp, went: b.went }, c, c.uniform),
        prepareLinearBackwardInput(
          device,
          { dy: z, w: io.w, dx: b.dh },
          { M, rowStart: c.start, rows: c.rows, accumulate: b.accumulateDh || !c.first },
        ),
      ];
      if (opts.weightGrad) {
        list.push(
          prepareLinearWeightGrad(
            device,
            { dy: z, x: io.h, dw: opts.weightGrad },
            { M, N: c.rows, K: C, rowStart: c.start, accumulate: b.accumulateDw ?? false },
          ),
        );
      }
      return list;
    });

  return {
    chunk,
    logp,
    entropy,
    forward: () => forwardDispatches,
    backward(b) {
      const same = (a: HeadBackwardIO) =>
        a.wlogp === b.wlogp && a.went === b.went && a.dh === b.dh && a.accumulateDh === b.accumulateDh && (a.accumulateDw ?? false) === (b.accumulateDw ?? false);
      let hit = built.find((e) => same(e.io));
      if (!hit) {
        hit = { io: { ...b }, dispatches: buildBackward(b) };
        built.push(hit);
      }
      return hit.dispatches;
    },
    destroy() {
      for (const buffer of [z, stats, rowStats, logp, entropy, ...chunks.map((c) => c.uniform)]) buffer.destroy();
    },
  };
}
