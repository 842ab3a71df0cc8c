// float64 reference of the output head fused with log-softmax: logits z = h · Wᵀ,
// per row logp = log softmax(z)[target] and entropy = -Σ p log p, and their gradients.
// Rows whose target is >= V (padding) get logp = 0, a constant: it contributes no gradient;
// their entropy is computed as for any row.

export type HeadStats = { logp: Float64Array; entropy: Float64Array; lse: Float64Array };

/** z: (M, V) logits, targets: (M) -> logp, entropy, lse = log Σ e^z: each (M). */
export function headFromLogitsRef(z: ArrayLike<number>, targets: ArrayLike<number>, M: number, V: number): HeadStats {
  const logp = new Float64Array(M);
  const entropy = new Float64Array(M);
  const lse = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    let mx = -Infinity;
    for (let v = 0; v < V; v++) mx = Math.max(mx, z[m * V + v] as number);
    let s = 0;
    let u = 0;
    for (let v = 0; v < V; v++) {
      const d = (z[m * V + v] as number) - mx;
      const e = Math.exp(d);
      s += e;
      u += e * d;
    }
    lse[m] = mx + Math.log(s);
    entropy[m] = Math.log(s) - u / s;
    const t = targets[m] as number;
    logp[m] = t < V ? (z[m * V + t] as number) - lse[m]! : 0;
  }
  return { logp, entropy, lse };
}

/**
 * dz (M, V) of L = Σ_m wlogp[m]·logp[m] + went[m]·entropy[m]:
 * dz_v = wlogp·([v = t] − p_v) − went·p_v·(log p_v + H), and log p_v + H = z_v − E_p[z].
 */
export function headDlogitsRef(
  z: ArrayLike<number>,
  targets: ArrayLike<number>,
  wlogp: ArrayLike<number>,
  went: ArrayLike<number>,
  M: number,
  V: number,
): Float64Array {
  const { lse, entropy } = headFromLogitsRef(z, targets, M, V);
  const dz = new Float64Array(M * V);
  for (let m = 0; m < M; m++) {
    const t = targets[m] as number;
    const wl = t < V ? (wlogp[m] as number) : 0;
    for (let v = 0; v < V; v++) {
      const lp = (z[m * V + v] as number) - lse[m]!;
      const p = Math.exp(lp);
      dz[m * V + v] = wl * ((v === t ? 1 : 0) - p) - (went[m] as number) * p * (lp + entropy[m]!);
    }
  }
  return dz;
}

/** z (M, V) = h (M, C) · W (V, C)ᵀ. */
export function headLogitsRef(h: ArrayLike<number>, W: ArrayLike<number>, M: number, V: number, C: number): Float64Array {
  const z = new Float64Array(M * V);
  for (let m = 0; m < M; m++) {
    for (let v = 0; v < V; v++) {
      let acc = 0;
      for (let c = 0; c < C; c++) acc += (h[m * C + c] as number) * (W[v * C + c] as number);
      z[m * V + v] = acc;
    }
  }
  return z;
}

/** h: (M, C), W: (V, C), targets: (M) -> logp, entropy, lse: each (M). */
export function headRef(
  h: ArrayLike<number>,
  W: ArrayLike<number>,
  targets: ArrayLike<number>,
  M: number,
  V: number,
  C: number,
): HeadStats {
  return headFromLogitsRef(headLogitsRef(h, W, M, V, C), targets, M, V);
}

/** Gradients of L = Σ wlogp·logp + went·entropy: dh (M, C) = dz · W, dW (V, C) = dzᵀ · h. */
export function headBackwardRef(
  h: ArrayLike<number>,
  W: ArrayLike<number>,
  targets: ArrayLike<number>,
  wlogp: ArrayLike<number>,
  went: ArrayLike<number>,
  M: number,
  V: number,
  C: number,
): { dh: Float64Array; dW: Float64Array } {
  const dz = headDlogitsRef(headLogitsRef(h, W, M, V, C), targets, wlogp, went, M, V);
  const dh = new Float64Array(M * C);
  const dW = new Float64Array(V * C);
  for (let m = 0; m < M; m++) {
    for (let v = 0; v < V; v++) {
      const g = dz[m * V + v]!;
      if (g === 0) continue;
      for (let c = 0; c < C; c++) {
        dh[m * C + c]! += g * (W[v * C + c] as number);
        dW[v * C + c]! += g * (h[m * C + c] as number);
      }
    }
  }
  return { dh, dW };
}
