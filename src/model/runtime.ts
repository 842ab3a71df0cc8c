// The model runtime: builds a Qwen2 model on a GPUDevice from weight tensors
// and, for a batch of token sequences, returns per-token log-probs and
// entropies, and backpropagates any per-token weighting of them (the RL loss is
// such a weighting) into the gradients of the trainable parameters.
// Dispatch lists are built once per batch shape and replayed.
import { formatBytes } from "../util/format_bytes";
import { type Dispatch, readF32, runDispatches } from "../gpu/kernel";
import { type GpuModel, uploadModel } from "./gpu_model";
import type { LoraWeights } from "./lora";
import {
  activationSpecs,
  type BatchShape,
  checkFits,
  loraSpecs,
  type MemoryEstimate,
  ModelTooLargeError,
  summarize,
  type TrainMode,
  weightSpecs,
} from "./memory";
import { buildProgram, type Program } from "./program";
import type { WeightFormat } from "../protocol/tensors";
import type { Qwen2Config } from "./config";
import type { ModelWeights } from "./weights";

export type RuntimeOptions = {
  mode: TrainMode;
  lora?: LoraWeights;
  /** GPU memory the runtime may use, bytes (default 4 GiB). */
  budget?: number;
};

/** Per sequence, one value per predicted token: index t is about token t+1 given tokens 0..t. */
export type PerToken = Float32Array[];

const DEFAULT_BUDGET = 4 * 2 ** 30;

/** Rounds the padded length up so nearby lengths share one program. */
function paddedLength(maxLen: number): number {
  return Math.max(8, Math.ceil(maxLen / 8) * 8);
}

export class ModelRuntime {
  private program: Program | undefined;

  private constructor(
    readonly device: GPUDevice,
    readonly model: GpuModel,
    private readonly budget: number,
  ) {}

  /** Checks the weights fit, then uploads them (a whole CPU model: tests, random and bundled models). */
  static create(device: GPUDevice, weights: ModelWeights, options: RuntimeOptions): ModelRuntime {
    const budget = options.budget ?? DEFAULT_BUDGET;
    ModelRuntime.checkWeightsFit(device, weights.config, weights.embed.format, options.mode, budget);
    return new ModelRuntime(device, uploadModel(device, weights, options.mode, options.lora), budget);
  }

  /** Wraps a model a loader streamed to the GPU (GpuModelBuilder). */
  static fromGpuModel(device: GPUDevice, model: GpuModel, budget = DEFAULT_BUDGET): ModelRuntime {
    return new ModelRuntime(device, model, budget);
  }

  /** Refuses, before anything is allocated, weights that cannot fit (throws ModelTooLargeError). */
  static checkWeightsFit(device: GPUDevice, config: Qwen2Config, format: WeightFormat, mode: TrainMode, budget = DEFAULT_BUDGET): MemoryEstimate {
    const specs = weightSpecs(config, format, mode);
    if (mode.kind === "lora") specs.push(...loraSpecs(config, mode.lora));
    return checkFits(specs, limitsOf(device, budget));
  }

  /** The memory a batch shape would take, checked against the limits (throws ModelTooLargeError). */
  planMemory(batch: BatchShape): MemoryEstimate {
    const c = this.model.config;
    const specs = weightSpecs(c, this.model.format, this.model.mode);
    if (this.model.mode.kind === "lora") specs.push(...loraSpecs(c, this.model.mode.lora));
    specs.push(...activationSpecs(c, batch, this.model.mode, this.device.limits.maxStorageBufferBindingSize));
    return checkFits(specs, limitsOf(this.device, this.budget));
  }

  /** Writes a batch into the input buffers; returns its shape and the sequence lengths. */
  private load(seqs: number[][], weights?: { wlogp: PerToken; went?: PerToken }): Program {
    if (seqs.length === 0) throw new Error("runtime: empty batch");
    const V = this.model.config.vocab;
    for (const [b, s] of seqs.entries()) {
      if (s.length === 0) throw new Error(`runtime: sequence ${b} is empty`);
      const bad = s.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= V);
      if (bad >= 0) throw new Error(`runtime: sequence ${b} has token id ${s[bad]} at ${bad}, outside the vocabulary (0..${V - 1})`);
    }
    const batch: BatchShape = { B: seqs.length, Tmax: paddedLength(Math.max(...seqs.map((s) => s.length))) };
    if (!this.program || this.program.batch.B !== batch.B || this.program.batch.Tmax !== batch.Tmax) {
      this.planMemory(batch); // throws ModelTooLargeError, naming the figures, before anything is allocated
      this.program?.destroy();
      this.program = buildProgram(this.device, this.model, batch);
    }
    const p = this.program;
    const M = batch.B * batch.Tmax;
    const ids = new Uint32Array(M);
    const targets = new Uint32Array(M).fill(V);
    const lens = new Uint32Array(batch.B);
    const wlogp = new Float32Array(M);
    const went = new Float32Array(M);
    seqs.forEach((s, b) => {
      lens[b] = s.length;
      const row = b * batch.Tmax;
      ids.set(s, row);
      for (let t = 0; t + 1 < s.length; t++) targets[row + t] = s[t + 1] as number;
      if (weights) {
        const wl = weights.wlogp[b];
        if (!wl || wl.length !== s.length - 1) {
          throw new Error(`runtime: sequence ${b} needs ${s.length - 1} log-prob weights, got ${wl?.length ?? 0}`);
        }
        wlogp.set(wl, row);
        const we = weights.went?.[b];
        if (we) went.set(we.subarray(0, s.length - 1), row);
      }
    });
    const q = this.device.queue;
    const acts = p.acts;
    q.writeBuffer(acts.get("ids")!, 0, ids);
    q.writeBuffer(acts.get("targets")!, 0, targets);
    q.writeBuffer(acts.get("lens")!, 0, lens);
    if (weights) {
      q.writeBuffer(acts.get("wlogp")!, 0, wlogp);
      q.writeBuffer(acts.get("went")!, 0, went);
    }
    return p;
  }

  private async readPerToken(p: Program, seqs: number[][]): Promise<{ logp: PerToken; entropy: PerToken }> {
    const M = p.batch.B * p.batch.Tmax;
    const [logpAll, entAll] = await Promise.all([
      readF32(this.device, p.head.logp, M),
      readF32(this.device, p.head.entropy, M),
    ]);
    const logp: PerToken = [];
    const entropy: PerToken = [];
    seqs.forEach((s, b) => {
      const row = b * p.batch.Tmax;
      logp.push(logpAll.slice(row, row + s.length - 1));
      entropy.push(entAll.slice(row, row + s.length - 1));
    });
    return { logp, entropy };
  }

  /**
   * Sequences per pass that fit the memory budget when `count` sequences of up to `longest` tokens are asked for:
   * all of them when they fit, else the largest half, quarter, … that does (at least 1; a single sequence that does
   * not fit is refused by load() with the figures). A pass also keeps its B·Tmax rows within one dispatch
   * dimension (the output head's gradient runs a workgroup per row).
   */
  private passSize(count: number, longest: number): number {
    const Tmax = paddedLength(longest);
    const rowCap = Math.max(1, Math.floor(this.device.limits.maxComputeWorkgroupsPerDimension / Tmax));
    for (let b = Math.min(count, rowCap); b > 1; b = Math.ceil(b / 2)) {
      try {
        this.planMemory({ B: b, Tmax });
        return b;
      } catch (error) {
        if (!(error instanceof ModelTooLargeError)) throw error;
      }
    }
    return 1;
  }

  /** Runs `pass` on consecutive slices of `seqs` that fit the budget; per-token results in sequence order. */
  private async inPasses(seqs: number[][], pass: (from: number, to: number) => Promise<{ logp: PerToken; entropy: PerToken }>): Promise<{ logp: PerToken; entropy: PerToken }> {
    const size = this.passSize(seqs.length, seqs.reduce((n, s) => Math.max(n, s.length), 1));
    if (size >= seqs.length) return pass(0, seqs.length);
    const logp: PerToken = [];
    const entropy: PerToken = [];
    for (let from = 0; from < seqs.length; from += size) {
      const part = await pass(from, Math.min(seqs.length, from + size));
      logp.push(...part.logp);
      entropy.push(...part.entropy);
    }
    return { logp, entropy };
  }

  /** log p(s[t+1] | s[0..t]) and the entropy of that distribution, for every sequence (in passes that fit the budget). */
  async logprobs(seqs: number[][]): Promise<{ logp: PerToken; entropy: PerToken }> {
    return this.inPasses(seqs, async (from, to) => {
      const part = seqs.slice(from, to);
      const p = this.load(part);
      runDispatches(this.device, p.forward, "forward");
      return this.readPerToken(p, part);
    });
  }

  /**
   * Forward, then backward of L = Σ wlogp·logp + Σ went·entropy, ADDING into
   * the trainable gradients (call zeroGrads() between optimizer steps). A batch
   * larger than the budget runs in passes: L is a sum over sequences, so the
   * gradients add up to the same (up to float rounding).
   */
  async accumulateGradients(seqs: number[][], wlogp: PerToken, went?: PerToken): Promise<{ logp: PerToken; entropy: PerToken }> {
    if (this.model.mode.kind === "frozen") throw new Error("runtime: this model was built frozen; it has no gradients");
    return this.inPasses(seqs, async (from, to) => {
      const part = seqs.slice(from, to);
      const w = { wlogp: wlogp.slice(from, to), ...(went ? { went: went.slice(from, to) } : {}) };
      const p = this.load(part, w);
      runDispatches(this.device, p.forward, "forward");
      runDispatches(this.device, p.backward, "backward");
      return this.readPerToken(p, part);
    });
  }

  /** The forward and backward dispatches of the last batch shape loaded (for per-kernel profiles). */
  trainingDispatches(): Dispatch[] {
    if (!this.program) throw new Error("runtime: no batch has run yet, so there is no program to profile");
    return [...this.program.forward, ...this.program.backward];
  }

  /** Sets every trainable gradient to zero, on the GPU. */
  zeroGrads(): void {
    if (!this.program) {
      // No batch yet: build a minimal program just to own the fill dispatches.
      this.load([[0, 0]]);
    }
    runDispatches(this.device, this.program!.zeroGrads, "zero-grads");
  }

  /** Reads the trainable gradients back, by tensor name (PEFT names for LoRA). */
  async readGradients(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const t of this.model.trainables) out.set(t.name, await readF32(this.device, t.grad, t.n));
    return out;
  }

  /** Reads the trainable parameters back, by tensor name. */
  async readParameters(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const t of this.model.trainables) out.set(t.name, await readF32(this.device, t.param, t.n));
    return out;
  }

  /** Bytes of the base weights and trainable state on the GPU. */
  weightBytes(): number {
    const specs = weightSpecs(this.model.config, this.model.format, this.model.mode);
    if (this.model.mode.kind === "lora") specs.push(...loraSpecs(this.model.config, this.model.mode.lora));
    const est = summarize(specs);
    return est.byGroup.weights + est.byGroup.trainable;
  }

  /**
   * The memory a forward and backward pass over `count` sequences of up to `longest` tokens plans: weights,
   * trainable state, and the activations of the pass size it would take (undefined when not even one fits).
   */
  passMemory(count: number, longest: number): MemoryEstimate | undefined {
    try {
      return this.planMemory({ B: this.passSize(Math.max(1, count), longest), Tmax: paddedLength(longest) });
    } catch (error) {
      if (error instanceof ModelTooLargeError) return undefined;
      throw error;
    }
  }

  describeMemory(batch: BatchShape): string {
    const est = this.planMemory(batch);
    return `${formatBytes(est.total)} (weights ${formatBytes(est.byGroup.weights)}, trainable ${formatBytes(est.byGroup.trainable)}, activations ${formatBytes(est.byGroup.activations)})`;
  }

  destroy(): void {
    this.program?.destroy();
    this.program = undefined;
  }
}

function limitsOf(device: GPUDevice, budget: number) {
  return {
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    budget,
  };
}
