// float64 reference of the optimizer: global gradient norm and one AdamW step
// with clipping (decoupled weight decay, bias-corrected moments, as PyTorch's AdamW).
import type { AdamHyper } from "../gpu/ops/adamw";

/** sqrt(sum over all buffers of sum_i g[i]^2). */
export function gradNormRef(grads: ArrayLike<number>[]): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += (g[i] as number) ** 2;
  return Math.sqrt(s);
}

/**
 * One AdamW step in place on param, m, v: (n); grad: (n); norm: the global gradient norm.
 * g' = g·min(1, maxNorm/(norm + 1e-6)) (maxNorm <= 0 or Infinity: no clipping).
 */
export function adamwRef(
  param: Float64Array,
  grad: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  norm: number,
  h: AdamHyper,
): void {
  const clip = Number.isFinite(h.maxNorm) && h.maxNorm > 0 ? Math.min(1, h.maxNorm / (norm + 1e-6)) : 1;
  const bias1 = 1 - h.beta1 ** h.step;
  const bias2 = 1 - h.beta2 ** h.step;
  for (let i = 0; i < param.length; i++) {
    const g = (grad[i] as number) * clip;
    const mi = h.beta1 * (m[i] as number) + (1 - h.beta1) * g;
    const vi = h.beta2 * (v[i] as number) + (1 - h.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = param[i] as number;
    param[i] = p - h.lr * (mi / bias1 / (Math.sqrt(vi / bias2) + h.eps) + h.weightDecay * p);
  }
}
