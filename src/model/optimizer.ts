// AdamW over a model's trainable tensors with global gradient-norm clipping,
// entirely on the GPU: per-tensor sums of squares, one norm, then one AdamW
// dispatch per tensor that reads the norm and scales its gradient. The CPU only
// writes the step's hyperparameters (and reads the norm when asked, for logs).
import { type Dispatch, readF32, runDispatches, storageBuffer } from "../gpu/kernel";
import { type AdamHyper, createAdamHyper, prepareAdamW, prepareGradNorm, writeAdamHyper } from "../gpu/ops/adamw";
import type { Trainable } from "./gpu_model";

export type AdamWSettings = Omit<AdamHyper, "step">;

export class AdamWOptimizer {
  private readonly hyper: GPUBuffer;
  private readonly norm: GPUBuffer;
  private readonly partial: GPUBuffer;
  private readonly dispatches: Dispatch[];
  private readonly normOnly: Dispatch[];
  /** Steps taken so far (t of the bias correction is steps + 1 on the next step). */
  steps = 0;

  constructor(
    private readonly device: GPUDevice,
    trainables: Trainable[],
  ) {
    if (trainables.length === 0) throw new Error("optimizer: nothing to train");
    this.hyper = createAdamHyper(device);
    this.norm = storageBuffer(device, 4, "grad.norm");
    this.partial = storageBuffer(device, trainables.length * 4, "grad.norm.partial");
    this.normOnly = prepareGradNorm(
      device,
      trainables.map((t) => ({ buffer: t.grad, n: t.n })),
      { partial: this.partial, norm: this.norm },
    );
    this.dispatches = [
      ...this.normOnly,
      ...trainables.map((t) =>
        prepareAdamW(device, { param: t.param, grad: t.grad, m: t.m, v: t.v, norm: this.norm, hyper: this.hyper }, { n: t.n }),
      ),
    ];
  }

  /** One AdamW step on the accumulated gradients (clipped to settings.maxNorm). */
  step(settings: AdamWSettings): void {
    this.steps += 1;
    writeAdamHyper(this.device, this.hyper, { ...settings, step: this.steps });
    runDispatches(this.device, this.dispatches, "adamw");
  }

  /** The global L2 norm of the gradients as they are now (before clipping). */
  async gradNorm(): Promise<number> {
    runDispatches(this.device, this.normOnly, "grad-norm");
    return (await readF32(this.device, this.norm, 1))[0] as number;
  }

  destroy(): void {
    for (const b of [this.hyper, this.norm, this.partial]) b.destroy();
  }
}
