// The generation forward as dispatch lists over M rows, each row a token of some sequence at an
// explicit (cache slot, position):
//   embedding → L × [RMSNorm → q, k, v (+bias, +LoRA) → RoPE at the rows' positions → K/V into
//   the cache → attention over the slot's positions 0..pos → o → residual → RMSNorm → SwiGLU MLP
//   (+LoRA) → residual] → (decode only) final RMSNorm → logits → sampler.
// Buffers are allocated once for maxRows rows (GenerationBuffers) and shared by the lists of
// every row count; lists are built once per M and replayed.
import { prepareAdd } from "../gpu/ops/add";
import { prepareAttentionCachedForward } from "../gpu/ops/attention_cached";
import { prepareEmbedding } from "../gpu/ops/embedding";
import { prepareKvCacheWrite } from "../gpu/ops/kv_cache_write";
import { prepareLinearForward } from "../gpu/ops/linear";
import { prepareRmsnormForward } from "../gpu/ops/rmsnorm";
import { prepareRopePositionsForward } from "../gpu/ops/rope_positions";
import { prepareSample } from "../gpu/ops/sample";
import { prepareSwigluForward } from "../gpu/ops/swiglu";
import { type Dispatch, storageBuffer } from "../gpu/kernel";
import type { GpuLayer, GpuModel } from "../model/gpu_model";
import { prepareLayerLinearForward } from "../model/layer_linear";
import type { LinearName } from "../protocol/lora";
import { type GeneratorShape, generatorSpecs } from "./memory";

/** Every buffer of the generator: inputs, one layer's working set, the KV cache, logits, samples. */
export type GenerationBuffers = {
  shape: GeneratorShape;
  /** (maxRows) u32 token ids of the rows. */
  ids: GPUBuffer;
  /** (maxRows, 2) u32 (slot, position) of the rows. */
  rowpos: GPUBuffer;
  /** (maxSequences, 8) u32 sampler parameters (packSampleRows). */
  samp: GPUBuffer;
  /** (maxSequences, 2) u32 [token, logprob bits] written by the sampler. */
  sampled: GPUBuffer;
  /** (maxSequences, V) f32 logits of the decode rows. */
  logits: GPUBuffer;
  /** Per layer: (maxSequences + 1, maxLength, NKV·HD) f32 keys and values. */
  kc: GPUBuffer[];
  vc: GPUBuffer[];
  acts: Map<string, GPUBuffer>;
  destroy(): void;
};

/** Allocates every buffer listed by generatorSpecs (call planGeneratorMemory first). */
export function allocateGenerationBuffers(device: GPUDevice, model: GpuModel, shape: GeneratorShape): GenerationBuffers {
  const acts = new Map<string, GPUBuffer>();
  for (const spec of generatorSpecs(model.config, model.mode, shape)) acts.set(spec.name, storageBuffer(device, spec.bytes, spec.name));
  const get = (name: string) => acts.get(name)!;
  const L = model.config.layers;
  return {
    shape,
    ids: get("ids"),
    rowpos: get("rowpos"),
    samp: get("samp"),
    sampled: get("sampled"),
    logits: get("logits"),
    kc: Array.from({ length: L }, (_, l) => get(`kv.l${l}.k`)),
    vc: Array.from({ length: L }, (_, l) => get(`kv.l${l}.v`)),
    acts,
    destroy() {
      for (const b of acts.values()) b.destroy();
    },
  };
}

export type RowProgram = {
  M: number;
  /** Embedding and the layer stack: fills the KV cache for the rows, leaves the residual in "x". */
  layers: Dispatch[];
  /** Final norm and logits (M, V) into buffers.logits; only when M <= maxSequences. */
  logits: Dispatch[];
  /** The sampler over the M logits rows into buffers.sampled; only when M <= maxSequences. */
  sample: Dispatch[];
};

/** Builds the dispatch lists for M rows (M <= maxRows). */
export function buildRowProgram(device: GPUDevice, model: GpuModel, bufs: GenerationBuffers, M: number): RowProgram {
  const c = model.config;
  const { maxRows, maxSequences, maxLength } = bufs.shape;
  if (!(M >= 1 && M <= maxRows)) throw new Error(`generator: ${M} rows outside 1..${maxRows}`);
  const a = (name: string) => {
    const b = bufs.acts.get(name);
    if (!b) throw new Error(`generator: no buffer "${name}"`);
    return b;
  };
  const linear = (layer: GpuLayer, name: LinearName, x: GPUBuffer, y: GPUBuffer): Dispatch[] =>
    prepareLayerLinearForward(device, layer, name, { x, y, u: () => a("lora_u") }, M);
  const rope = { M, headDim: c.headDim, theta: c.ropeTheta };
  const rowpos = bufs.rowpos;
  const layers: Dispatch[] = [prepareEmbedding(device, bufs.ids, model.embed, a("x"), M)];
  model.layers.forEach((layer, l) => {
    const norm = { T: M, C: c.hidden, eps: c.rmsEps };
    layers.push(
      prepareRmsnormForward(device, { x: a("x"), w: layer.attnNorm, y: a("h"), rstd: a("rstd") }, norm),
      ...linear(layer, "q", a("h"), a("q")),
      ...linear(layer, "k", a("h"), a("k")),
      ...linear(layer, "v", a("h"), a("v")),
      prepareRopePositionsForward(device, { x: a("q"), rowpos }, { ...rope, heads: c.heads }),
      prepareRopePositionsForward(device, { x: a("k"), rowpos }, { ...rope, heads: c.kvHeads }),
      prepareKvCacheWrite(
        device,
        { k: a("k"), v: a("v"), rowpos, kc: bufs.kc[l]!, vc: bufs.vc[l]! },
        { M, W: c.kvHeads * c.headDim, L: maxLength },
      ),
      prepareAttentionCachedForward(
        device,
        { q: a("q"), kc: bufs.kc[l]!, vc: bufs.vc[l]!, rowpos, o: a("att") },
        { M, NH: c.heads, NKV: c.kvHeads, HD: c.headDim, L: maxLength },
      ),
      ...linear(layer, "o", a("att"), a("tmp")),
      prepareAdd(device, a("x"), a("tmp"), a("xmid"), M * c.hidden),
      prepareRmsnormForward(device, { x: a("xmid"), w: layer.mlpNorm, y: a("h"), rstd: a("rstd") }, norm),
      ...linear(layer, "gate", a("h"), a("g")),
      ...linear(layer, "up", a("h"), a("u")),
      prepareSwigluForward(device, { gate: a("g"), up: a("u"), h: a("m") }, { n: M * c.intermediate }),
      ...linear(layer, "down", a("m"), a("tmp")),
      prepareAdd(device, a("xmid"), a("tmp"), a("x"), M * c.hidden),
    );
  });
  const logits: Dispatch[] = [];
  const sample: Dispatch[] = [];
  if (M <= maxSequences) {
    logits.push(
      prepareRmsnormForward(device, { x: a("x"), w: model.finalNorm, y: a("h"), rstd: a("rstd") }, { T: M, C: c.hidden, eps: c.rmsEps }),
      prepareLinearForward(device, { x: a("h"), w: model.head, y: bufs.logits }, { M }),
    );
    sample.push(prepareSample(device, { logits: bufs.logits, samp: bufs.samp, out: bufs.sampled }, { R: M, V: c.vocab }));
  }
  return { M, layers, logits, sample };
}
