// The model's parameters on the GPU: frozen base weights (any kernel format)
// and the trainable set, LoRA matrices or (full mode, f32 weights) the base
// weights themselves, each trainable tensor with its gradient and AdamW moments.
// Built tensor by tensor (GpuModelBuilder is a TensorSink), so loaders can
// stream weights from a file straight to the GPU without a CPU copy of the model.
import { storageBuffer } from "../gpu/kernel";
import { type GpuWeight, uploadWeight } from "../gpu/weights";
import type { LoadedTensor, TensorSink } from "../protocol/tensors";
import type { WeightFormat } from "../protocol/tensors";
import type { Qwen2Config } from "./config";
import type { LoraWeights } from "./lora";
import { loraScale, peftName } from "./lora";
import type { TrainMode } from "./memory";
import { BIASED, hfLinearName, linearShape, type ModelWeights, tensorsOf } from "./weights";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";

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
  config: Qwen2Config;
  /** The format of the embedding (the memory plan's format). */
  format: WeightFormat;
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

/** Makes a trainable around an existing param buffer (full mode) or a new one from `init`. */
function trainable(device: GPUDevice, name: string, shape: number[], param: GPUBuffer | Float32Array): Trainable {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    n,
    shape,
    param: param instanceof Float32Array ? storageBuffer(device, param, name) : param,
    grad: storageBuffer(device, n * 4, `${name}.grad`),
    m: storageBuffer(device, n * 4, `${name}.m`),
    v: storageBuffer(device, n * 4, `${name}.v`),
  };
}

/** Expected shape of every base tensor by HF name: [rows, cols] for matrices, [n] for vectors. */
export function expectedShapes(c: Qwen2Config): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set("model.embed_tokens.weight", [c.vocab, c.hidden]);
  if (!c.tieEmbeddings) shapes.set("lm_head.weight", [c.vocab, c.hidden]);
  shapes.set("model.norm.weight", [c.hidden]);
  for (let l = 0; l < c.layers; l++) {
    shapes.set(`model.layers.${l}.input_layernorm.weight`, [c.hidden]);
    shapes.set(`model.layers.${l}.post_attention_layernorm.weight`, [c.hidden]);
    for (const name of LINEAR_NAMES) {
      const shape = linearShape(c, name);
      shapes.set(hfLinearName(l, name), shape);
      if (BIASED.includes(name)) shapes.set(hfLinearName(l, name, "bias"), [shape[0]]);
    }
  }
  return shapes;
}

/** Receives base tensors one at a time, uploads each at once, and assembles the GpuModel. */
export class GpuModelBuilder {
  private readonly expected: Map<string, number[]>;
  private readonly matrices = new Map<string, GpuWeight>();
  private readonly vectors = new Map<string, GPUBuffer>();

  constructor(
    private readonly device: GPUDevice,
    readonly config: Qwen2Config,
    private readonly mode: TrainMode,
  ) {
    this.expected = expectedShapes(config);
  }

  /** The TensorSink to hand to a loader. */
  readonly sink: TensorSink = (t) => this.add(t);

  add({ name, value }: LoadedTensor): void {
    const shape = this.expected.get(name);
    if (!shape) return; // tensors the engine does not use (rotary caches, …) are skipped
    if (this.matrices.has(name) || this.vectors.has(name)) throw new Error(`model: tensor ${name} was given twice`);
    if (value instanceof Float32Array) {
      if (shape.length !== 1 || value.length !== shape[0]) {
        throw new Error(`model: tensor ${name} has ${value.length} values, config.json implies shape [${shape.join(", ")}]`);
      }
      this.vectors.set(name, storageBuffer(this.device, value, name));
      return;
    }
    if (shape.length !== 2 || value.rows !== shape[0] || value.cols !== shape[1]) {
      throw new Error(`model: tensor ${name} is [${value.rows}, ${value.cols}], config.json implies [${shape.join(", ")}]`);
    }
    if (this.mode.kind === "full" && value.format !== "f32") {
      throw new Error(`full-parameter training needs f32 weights but ${name} is ${value.format}; load with --quant none, or train LoRA adapters`);
    }
    this.matrices.set(name, uploadWeight(this.device, value, name));
  }

  /** Checks every tensor arrived, then builds the trainable set (LoRA weights in LoRA mode). */
  finish(lora?: LoraWeights): GpuModel {
    const missing = [...this.expected.keys()].filter((n) => !this.matrices.has(n) && !this.vectors.has(n));
    if (missing.length > 0) {
      throw new Error(`model: ${missing.length} tensor(s) missing, first ${missing.slice(0, 3).join(", ")}: the weight files are incomplete`);
    }
    const c = this.config;
    const mode = this.mode;
    const device = this.device;
    if (mode.kind === "lora" && (!lora || lora.layers.length !== c.layers)) {
      throw new Error("LoRA mode needs adapter weights for every layer (initLora or a loaded PEFT adapter)");
    }
    const mat = (n: string) => this.matrices.get(n)!;
    const vec = (n: string) => this.vectors.get(n)!;
    const trainables: Trainable[] = [];
    const globalGrads = new Map<string, Trainable>();
    const full = mode.kind === "full";
    const embed = mat("model.embed_tokens.weight");
    const head = c.tieEmbeddings ? embed : mat("lm_head.weight");
    const finalNorm = vec("model.norm.weight");
    if (full) {
      const add = (name: string, shape: number[], buffer: GPUBuffer) => {
        const t = trainable(device, name, shape, buffer);
        trainables.push(t);
        globalGrads.set(name, t);
      };
      add("model.embed_tokens.weight", [c.vocab, c.hidden], embed.data);
      if (!c.tieEmbeddings) add("lm_head.weight", [c.vocab, c.hidden], head.data);
      add("model.norm.weight", [c.hidden], finalNorm);
    }
    const layers: GpuLayer[] = [];
    for (let l = 0; l < c.layers; l++) {
      const linear = {} as Record<LinearName, GpuWeight>;
      for (const name of LINEAR_NAMES) linear[name] = mat(hfLinearName(l, name));
      const bias = {
        q: vec(hfLinearName(l, "q", "bias")),
        k: vec(hfLinearName(l, "k", "bias")),
        v: vec(hfLinearName(l, "v", "bias")),
      };
      const attnName = `model.layers.${l}.input_layernorm.weight`;
      const mlpName = `model.layers.${l}.post_attention_layernorm.weight`;
      const layer: GpuLayer = { attnNorm: vec(attnName), mlpNorm: vec(mlpName), linear, bias, lora: {}, grads: new Map() };
      if (full) {
        const add = (key: string, name: string, shape: number[], buffer: GPUBuffer) => {
          const t = trainable(device, name, shape, buffer);
          trainables.push(t);
          layer.grads.set(key, t);
        };
        add("attn_norm", attnName, [c.hidden], layer.attnNorm);
        add("mlp_norm", mlpName, [c.hidden], layer.mlpNorm);
        for (const name of LINEAR_NAMES) add(name, hfLinearName(l, name), linearShape(c, name), linear[name].data);
        for (const name of BIASED) add(`${name}.bias`, hfLinearName(l, name, "bias"), [linearShape(c, name)[0]], bias[name as "q"]);
      }
      if (mode.kind === "lora" && lora) attachLora(device, c, layer, l, lora, trainables);
      layers.push(layer);
    }
    return { config: c, format: embed.format, embed, head, finalNorm, layers, mode, trainables, globalGrads };
  }
}

/** Uploads layer l's LoRA matrices as trainables into `layer.lora`, appending them to `trainables`. */
function attachLora(device: GPUDevice, c: Qwen2Config, layer: GpuLayer, l: number, lora: LoraWeights, trainables: Trainable[]): void {
  const { r, targets } = lora.config;
  for (const t of targets) {
    const pair = lora.layers[l]?.[t];
    if (!pair) throw new Error(`LoRA adapter has no ${t} matrices for layer ${l}`);
    const [N, K] = linearShape(c, t);
    const A = trainable(device, peftName(l, t, "A"), [r, K], pair.A);
    const B = trainable(device, peftName(l, t, "B"), [N, r], pair.B);
    trainables.push(A, B);
    layer.lora[t] = { A, B, r, scale: loraScale(lora.config) };
  }
}

/**
 * The same frozen base weights with a fresh LoRA adapter (`lora`'s matrices uploaded as
 * trainables): how a loaded model gains an adapter to train without reloading its weights.
 * Free the adapter with destroyTrainables; the base weights stay with `frozen`.
 */
export function withLora(device: GPUDevice, frozen: GpuModel, lora: LoraWeights): GpuModel {
  if (frozen.mode.kind !== "frozen") throw new Error(`withLora takes a frozen model, not one in ${frozen.mode.kind} mode`);
  if (lora.layers.length !== frozen.config.layers) throw new Error("LoRA mode needs adapter weights for every layer (initLora or a loaded PEFT adapter)");
  const trainables: Trainable[] = [];
  const layers = frozen.layers.map((layer, l) => {
    const copy: GpuLayer = { ...layer, lora: {}, grads: new Map() };
    attachLora(device, frozen.config, copy, l, lora, trainables);
    return copy;
  });
  return { ...frozen, layers, mode: { kind: "lora", lora: lora.config }, trainables, globalGrads: new Map() };
}

/** Frees a LoRA model's trainable buffers (param, grad, m, v); never the shared base weights. */
export function destroyTrainables(model: GpuModel): void {
  if (model.mode.kind !== "lora") throw new Error("destroyTrainables frees LoRA adapters only; full-mode trainables share the base weights");
  for (const t of model.trainables) for (const b of [t.param, t.grad, t.m, t.v]) b.destroy();
}

/** Uploads a whole CPU ModelWeights (tests, random models, the bundled model). */
export function uploadModel(device: GPUDevice, weights: ModelWeights, mode: TrainMode, lora?: LoraWeights): GpuModel {
  const builder = new GpuModelBuilder(device, weights.config, mode);
  for (const t of tensorsOf(weights)) builder.add(t);
  return builder.finish(lora);
}
