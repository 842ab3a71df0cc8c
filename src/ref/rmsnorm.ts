// float64 reference of RMSNorm (Qwen2), forward and backward:
// y[t, :] = x[t, :] · rstd[t] · w, rstd[t] = 1 / sqrt(mean(x[t, :]²) + eps).

/** x: (T, C), w: (C) -> y: (T, C), rstd: (T). */
export function rmsnormForwardRef(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  T: number,
  C: number,
  eps: number,
): { y: Float64Array; rstd: Float64Array } {
  const y = new Float64Array(T * C);
  const rstd = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let c = 0; c < C; c++) ss += (x[t * C + c] as number) ** 2;
    const r = 1 / Math.sqrt(ss / C + eps);
    rstd[t] = r;
    for (let c = 0; c < C; c++) y[t * C + c] = (x[t * C + c] as number) * r * (w[c] as number);
  }
  return { y, rstd };
}

/**
 * Gradients given dy: dx[t, j] = r · (dy[t, j] · w[j] - x[t, j] · r² · Σ_i dy[t, i] · w[i] · x[t, i] / C),
 * dw[c] = Σ_t dy[t, c] · x[t, c] · r_t, with r = rstd[t].
 * x: (T, C), w: (C), dy: (T, C) -> dx: (T, C), dw: (C).
 */
export function rmsnormBackwardRef(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  dy: ArrayLike<number>,
  T: number,
  C: number,
  eps: number,
): { dx: Float64Array; dw: Float64Array } {
  const { rstd } = rmsnormForwardRef(x, w, T, C, eps);
  const dx = new Float64Array(T * C);
  const dw = new Float64Array(C);
  for (let t = 0; t < T; t++) {
    const r = rstd[t] as number;
    let dot = 0;
    for (let c = 0; c < C; c++) dot += (dy[t * C + c] as number) * (w[c] as number) * (x[t * C + c] as number);
    const k = (r * r * dot) / C;
    for (let c = 0; c < C; c++) {
      const i = t * C + c;
      dx[i] = r * ((dy[i] as number) * (w[c] as number) - (x[i] as number) * k);
      dw[c] = (dw[c] as number) + (dy[i] as number) * (x[i] as number) * r;
    }
  }
  return { dx, dw };
}
