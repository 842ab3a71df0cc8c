// The model's parameters on the GPU: frozen base weights (any kernel format)
// and the trainable set, LoRA matrices or (full mode, f32 weights) the base
// weights themselves, each trainable tensor with its gradient and AdamW moments.
import { storageBuffer } from "../gpu/kernel";
import { type GpuWeight, uploadWeight } from "../gpu/weights";
import type { LoraConfig, LoraWeights } from "./lora";
import { loraScale, peftName } from "./lora";
import type { TrainMode } from "./memory";
import { BIASED, hfLinearName, LINEAR_NAMES, type LinearName, linearShape, type ModelWeights } from "./weights";

/** A trainable tensor: param, grad, AdamW moments m and v; all (n) f32. */
export type Trainable = { name: string; n: number; shape: number[]; param: GPUBuffer; grad: GPUBuffer; m: GPUBuffer; v: GPUBuffer };

export type GpuLora = { A: Trainable; B: Trainable; r: number; scale: number };

export type GpuLayer = {
  attnNorm: GPUBuffer;
  mlpNorm: GPUBuffer;
  linear: Record<LinearName, GpuWeight>;
  bias: Record<"q" | "k" | "v", GPUBuffer>;
  lora: Partial<Record<LinearName, GpuLora>>;
  /** Full mode only: gradients of this layer's base tensors, keyed like `q`, `q.bias`, `attn_norm`. */
  grads: Map<string, Trainable>;
};

export type GpuModel = {
  weights: ModelWeights;
  embed: GpuWeight;
  head: GpuWeight;
  finalNorm: GPUBuffer;
  layers: GpuLayer[];
  mode: TrainMode;
  /** Every trainable tensor, in a stable order (PEFT names for LoRA, HF names in full mode). */
  trainables: Trainable[];
  /** Full mode: grads of embed / head / final norm by HF name. */
  globalGrads: Map<string, Trainable>;
};

function zeros(device: GPUDevice, n: number, label: string): GPUBuffer {
  return storageBuffer(device, n * 4, label);
}

/** Makes a trainable around an existing param buffer (full mode) or a new one from `init`. */
function trainable(device: GPUDevice, name: string, shape: number[], param: GPUBuffer | Float32Array): Trainable {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    n,
    shape,
    param: param instanceof Float32Array ? storageBuffer(device, param, name) : param,
    grad: zeros(device, n, `${name}.grad`),
    m: zeros(device, n, `${name}.m`),
    v: zeros(device, n, `${name}.v`),
  };
}

/** Uploads the base model and creates the trainable set of `mode`. */
export function uploadModel(device: GPUDevice, weights: ModelWeights, mode: TrainMode, lora?: LoraWeights): GpuModel {
  const c = weights.config;
  if (mode.kind === "full") {
    const formats = [weights.embed, ...weights.layers.flatMap((l) => Object.values(l.linear))].map((w) => w.format);
    if (formats.some((f) => f !== "f32")) {
      throw new Error("full-parameter training needs f32 weights; load the model with --quant none, or train LoRA adapters");
    }
  }
  if (mode.kind === "lora" && (!lora || lora.layers.length !== c.layers)) {
    throw new Error("LoRA mode needs adapter weights for every layer (initLora or a loaded PEFT adapter)");
  }
  const trainables: Trainable[] = [];
  const globalGrads = new Map<string, Trainable>();
  const full = mode.kind === "full";
  const embed = uploadWeight(device, weights.embed, "embed");
  const head = weights.lmHead ? uploadWeight(device, weights.lmHead, "lm_head") : embed;
  const finalNorm = storageBuffer(device, weights.finalNorm, "final_norm");
  if (full) {
    const add = (name: string, shape: number[], buffer: GPUBuffer) => {
      const t = trainable(device, name, shape, buffer);
      trainables.push(t);
      globalGrads.set(name, t);
    };
    add("model.embed_tokens.weight", [c.vocab, c.hidden], embed.data);
    if (weights.lmHead) add("lm_head.weight", [c.vocab, c.hidden], head.data);
    add("model.norm.weight", [c.hidden], finalNorm);
  }
  const layers: GpuLayer[] = weights.layers.map((lw, l) => {
    const linear = {} as Record<LinearName, GpuWeight>;
    for (const name of LINEAR_NAMES) linear[name] = uploadWeight(device, lw.linear[name], `l${l}.${name}`);
    const bias = {
      q: storageBuffer(device, lw.bias.q, `l${l}.q.bias`),
      k: storageBuffer(device, lw.bias.k, `l${l}.k.bias`),
      v: storageBuffer(device, lw.bias.v, `l${l}.v.bias`),
    };
    const layer: GpuLayer = {
      attnNorm: storageBuffer(device, lw.attnNorm, `l${l}.attn_norm`),
      mlpNorm: storageBuffer(device, lw.mlpNorm, `l${l}.mlp_norm`),
      linear,
      bias,
      lora: {},
      grads: new Map(),
    };
    if (full) {
      const add = (key: string, name: string, shape: number[], buffer: GPUBuffer) => {
        const t = trainable(device, name, shape, buffer);
        trainables.push(t);
        layer.grads.set(key, t);
      };
      add("attn_norm", `model.layers.${l}.input_layernorm.weight`, [c.hidden], layer.attnNorm);
      add("mlp_norm", `model.layers.${l}.post_attention_layernorm.weight`, [c.hidden], layer.mlpNorm);
      for (const name of LINEAR_NAMES) add(name, hfLinearName(l, name), linearShape(c, name), linear[name].data);
      for (const name of BIASED) add(`${name}.bias`, hfLinearName(l, name, "bias"), [linearShape(c, name)[0]], bias[name as "q"]);
    }
    if (mode.kind === "lora" && lora) {
      for (const t of mode.lora.targets) {
        const pair = lora.layers[l]?.[t];
        if (!pair) throw new Error(`LoRA adapter has no ${t} matrices for layer ${l}`);
        const [N, K] = linearShape(c, t);
        const r = mode.lora.r;
        const A = trainable(device, peftName(l, t, "A"), [r, K], pair.A);
        const B = trainable(device, peftName(l, t, "B"), [N, r], pair.B);
        trainables.push(A, B);
        layer.lora[t] = { A, B, r, scale: loraScale(mode.lora) };
      }
    }
    return layer;
  });
  return { weights, embed, head, finalNorm, layers, mode, trainables, globalGrads };
}

/** The LoRA config of a model in LoRA mode. */
export function loraConfigOf(model: GpuModel): LoraConfig | undefined {
  return model.mode.kind === "lora" ? model.mode.lora : undefined;
}
