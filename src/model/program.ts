// The model as dispatch lists, built once per (model, batch shape) and replayed:
//   forward:  embedding → L × layer → final RMSNorm → output head (logp, entropy)
//   backward: head → final norm → for each layer, newest first: recompute the
//             layer from its residual checkpoint, then backpropagate through it.
// Activation memory is L+1 residual checkpoints (M, C) plus one layer's working
// set, so it grows with L·M·C rather than with everything the layers compute.
// Batch layout: B sequences padded to Tmax, row t = b·Tmax + i, lens (B).
import { prepareAttentionBackward, prepareAttentionForward } from "../gpu/ops/attention";
import { prepareAdd } from "../gpu/ops/add";
import { prepareEmbedding } from "../gpu/ops/embedding";
import { prepareEmbeddingBackward } from "../gpu/ops/embedding_backward";
import { prepareColumnSum, prepareFill } from "../gpu/ops/elementwise";
import { type HeadPlan, prepareHead } from "../gpu/ops/head";
import { prepareLinearBackwardInput, prepareLinearWeightGrad } from "../gpu/ops/linear";
import { prepareLoraBackward } from "../gpu/ops/lora";
import { prepareRmsnormBackward, prepareRmsnormForward } from "../gpu/ops/rmsnorm";
import { prepareRopeBackward, prepareRopeForward } from "../gpu/ops/rope";
import { prepareSwigluBackward, prepareSwigluForward } from "../gpu/ops/swiglu";
import type { Dispatch } from "../gpu/kernel";
import { storageBuffer } from "../gpu/kernel";
import type { GpuLayer, GpuModel } from "./gpu_model";
import { prepareLayerLinearForward } from "./layer_linear";
import { activationSpecs, type BatchShape } from "./memory";
import type { LinearName } from "../protocol/lora";

export type Activations = Map<string, GPUBuffer>;

export type Program = {
  batch: BatchShape;
  acts: Activations;
  head: HeadPlan;
  forward: Dispatch[];
  backward: Dispatch[];
  zeroGrads: Dispatch[];
  destroy(): void;
};

function get(acts: Activations, name: string): GPUBuffer {
  const b = acts.get(name);
  if (!b) throw new Error(`program: no activation buffer "${name}"`);
  return b;
}

/** Allocates the activations of a batch shape and builds the dispatch lists. */
export function buildProgram(device: GPUDevice, model: GpuModel, batch: BatchShape): Program {
  const c = model.config;
  const M = batch.B * batch.Tmax;
  const acts: Activations = new Map();
  for (const spec of activationSpecs(c, batch, model.mode, device.limits.maxStorageBufferBindingSize)) {
    if (spec.group === "head") continue; // the head plan owns its scratch
    acts.set(spec.name, storageBuffer(device, spec.bytes, spec.name));
  }
  const a = (name: string) => get(acts, name);
  const full = model.mode.kind === "full";
  const dims = { B: batch.B, Tmax: batch.Tmax };
  const attnDims = { ...dims, NH: c.heads, NKV: c.kvHeads, HD: c.headDim };
  const tied = model.head === model.embed;
  const headGrad = full ? model.globalGrads.get(tied ? "model.embed_tokens.weight" : "lm_head.weight")?.grad : undefined;
  const head = prepareHead(
    device,
    { h: a("hf"), w: model.head, targets: a("targets") },
    { M },
    headGrad ? { weightGrad: headGrad } : {},
  );

  /** y = x·Wᵀ (+ bias) (+ LoRA) for one linear of a layer. */
  const linearForward = (layer: GpuLayer, name: LinearName, x: GPUBuffer, y: GPUBuffer): Dispatch[] =>
    prepareLayerLinearForward(device, layer, name, { x, y, u: () => a(`lora_u.${name}`) }, M);

  /** dx (+)= dy·W (+ LoRA's share), and the trainable gradients of this linear. */
  const linearBackward = (layer: GpuLayer, name: LinearName, x: GPUBuffer, dy: GPUBuffer, dx: GPUBuffer, accumulate: boolean) => {
    const w = layer.linear[name];
    const out: Dispatch[] = [prepareLinearBackwardInput(device, { dy, w, dx }, { M, accumulate })];
    const lora = layer.lora[name];
    if (lora) {
      out.push(
        ...prepareLoraBackward(
          device,
          {
            x, u: a(`lora_u.${name}`), dy, A: lora.A.param, B: lora.B.param,
            du: a("lora_du"), dA: lora.A.grad, dB: lora.B.grad, dx,
          },
          { M, K: w.cols, N: w.rows, r: lora.r, scale: lora.scale, accumulateDx: true },
        ),
      );
    }
    if (full) {
      const gw = layer.grads.get(name);
      if (gw) out.push(prepareLinearWeightGrad(device, { dy, x, dw: gw.grad }, { M, N: w.rows, K: w.cols, accumulate: true }));
      const gb = layer.grads.get(`${name}.bias`);
      if (gb) out.push(prepareColumnSum(device, { dy, db: gb.grad }, { M, N: w.rows, accumulate: true }));
    }
    return out;
  };

  /** One layer forward from checkpoint l; writes checkpoint l+1 when `writeNext`. */
  const layerForward = (l: number, writeNext: boolean): Dispatch[] => {
    const layer = model.layers[l]!;
    const x = a(`ckpt${l}`);
    const ops: Dispatch[] = [
      prepareRmsnormForward(device, { x, w: layer.attnNorm, y: a("h1"), rstd: a("rstd1") }, { T: M, C: c.hidden, eps: c.rmsEps }),
      ...linearForward(layer, "q", a("h1"), a("q")),
      ...linearForward(layer, "k", a("h1"), a("k")),
      ...linearForward(layer, "v", a("h1"), a("v")),
      prepareRopeForward(device, { x: a("q") }, { ...dims, heads: c.heads, headDim: c.headDim, theta: c.ropeTheta }),
      prepareRopeForward(device, { x: a("k") }, { ...dims, heads: c.kvHeads, headDim: c.headDim, theta: c.ropeTheta }),
      prepareAttentionForward(device, { q: a("q"), k: a("k"), v: a("v"), lens: a("lens"), o: a("att"), lse: a("lse") }, attnDims),
      ...linearForward(layer, "o", a("att"), a("tmp")),
      prepareAdd(device, x, a("tmp"), a("xmid"), M * c.hidden),
      prepareRmsnormForward(device, { x: a("xmid"), w: layer.mlpNorm, y: a("h2"), rstd: a("rstd2") }, { T: M, C: c.hidden, eps: c.rmsEps }),
      ...linearForward(layer, "gate", a("h2"), a("g")),
      ...linearForward(layer, "up", a("h2"), a("u")),
      prepareSwigluForward(device, { gate: a("g"), up: a("u"), h: a("m") }, { n: M * c.intermediate }),
      ...linearForward(layer, "down", a("m"), a("tmp")),
    ];
    if (writeNext) ops.push(prepareAdd(device, a("xmid"), a("tmp"), a(`ckpt${l + 1}`), M * c.hidden));
    return ops;
  };

  const forward: Dispatch[] = [prepareEmbedding(device, a("ids"), model.embed, a("ckpt0"), M)];
  for (let l = 0; l < c.layers; l++) forward.push(...layerForward(l, true));
  forward.push(
    prepareRmsnormForward(device, { x: a(`ckpt${c.layers}`), w: model.finalNorm, y: a("hf"), rstd: a("rstdf") }, { T: M, C: c.hidden, eps: c.rmsEps }),
    ...head.forward(),
  );

  const backward: Dispatch[] = [];
  if (model.mode.kind !== "frozen") {
    const finalGrad = model.globalGrads.get("model.norm.weight")?.grad;
    backward.push(
      ...head.backward({ wlogp: a("wlogp"), went: a("went"), dh: a("dh"), accumulateDh: false, accumulateDw: true }),
      ...prepareRmsnormBackward(
        device,
        { x: a(`ckpt${c.layers}`), w: model.finalNorm, rstd: a("rstdf"), dy: a("dh"), dx: a("dx"), ...(finalGrad ? { dw: finalGrad } : {}) },
        { T: M, C: c.hidden, accumulateDx: false },
      ),
    );
    for (let l = c.layers - 1; l >= 0; l--) {
      const layer = model.layers[l]!;
      const dAttnNorm = layer.grads.get("attn_norm")?.grad;
      const dMlpNorm = layer.grads.get("mlp_norm")?.grad;
      backward.push(
        ...layerForward(l, false),
        // MLP branch: x_{l+1} = xmid + down(swiglu(gate(h2), up(h2))), h2 = norm(xmid)
        ...linearBackward(layer, "down", a("m"), a("dx"), a("dm"), false),
        prepareSwigluBackward(device, { gate: a("g"), up: a("u"), dh: a("dm"), dgate: a("dg"), dup: a("du") }, { n: M * c.intermediate }),
        ...linearBackward(layer, "gate", a("h2"), a("dg"), a("dh"), false),
        ...linearBackward(layer, "up", a("h2"), a("du"), a("dh"), true),
        ...prepareRmsnormBackward(
          device,
          { x: a("xmid"), w: layer.mlpNorm, rstd: a("rstd2"), dy: a("dh"), dx: a("dx"), ...(dMlpNorm ? { dw: dMlpNorm } : {}) },
          { T: M, C: c.hidden, accumulateDx: true },
        ),
        // Attention branch: xmid = x_l + o(attn(rope(q(h1)), rope(k(h1)), v(h1))), h1 = norm(x_l)
        ...linearBackward(layer, "o", a("att"), a("dx"), a("da"), false),
        ...prepareAttentionBackward(
          device,
          {
            q: a("q"), k: a("k"), v: a("v"), o: a("att"), lse: a("lse"), dO: a("da"), lens: a("lens"),
            delta: a("delta"), dq: a("dq"), dk: a("dk"), dv: a("dv"),
          },
          attnDims,
        ),
        prepareRopeBackward(device, { dx: a("dq") }, { ...dims, heads: c.heads, headDim: c.headDim, theta: c.ropeTheta }),
        prepareRopeBackward(device, { dx: a("dk") }, { ...dims, heads: c.kvHeads, headDim: c.headDim, theta: c.ropeTheta }),
        ...linearBackward(layer, "q", a("h1"), a("dq"), a("dh"), false),
        ...linearBackward(layer, "k", a("h1"), a("dk"), a("dh"), true),
        ...linearBackward(layer, "v", a("h1"), a("dv"), a("dh"), true),
        ...prepareRmsnormBackward(
          device,
          { x: a(`ckpt${l}`), w: layer.attnNorm, rstd: a("rstd1"), dy: a("dh"), dx: a("dx"), ...(dAttnNorm ? { dw: dAttnNorm } : {}) },
          { T: M, C: c.hidden, accumulateDx: true },
        ),
      );
    }
    const embedGrad = model.globalGrads.get("model.embed_tokens.weight")?.grad;
    if (embedGrad) {
      backward.push(prepareEmbeddingBackward(device, { ids: a("ids"), dx: a("dx"), dE: embedGrad }, { T: M, C: c.hidden, V: c.vocab }));
    }
  }

  const zeroGrads = model.trainables.map((t) => prepareFill(device, { y: t.grad }, { n: t.n, value: 0 }));

  return {
    batch,
    acts,
    head,
    forward,
    backward,
    zeroGrads,
    destroy() {
      for (const b of acts.values()) b.destroy();
      head.destroy();
    },
  };
}
