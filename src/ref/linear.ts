// float64 reference of a linear layer y = x · W[rowStart : rowStart + N, :]ᵀ (+ bias) and its backward.
// x: (M, K), W: (rows_total, K) dequantized, bias: (rows_total) -> y: (M, N).

/** y (M, N) = x (M, K) · W[rowStart + n, :]ᵀ (+ bias[rowStart + n]). */
export function linearForwardRef(
  x: ArrayLike<number>,
  W: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  dims: { M: number; N: number; K: number; rowStart?: number },
): Float64Array {
  const { M, N, K } = dims;
  const r0 = dims.rowStart ?? 0;
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = bias ? (bias[r0 + n] as number) : 0;
      for (let k = 0; k < K; k++) s += (x[m * K + k] as number) * (W[(r0 + n) * K + k] as number);
      y[m * N + n] = s;
    }
  }
  return y;
}

/** dx (M, K) = dy (M, N) · W[rowStart : rowStart + N, :]. */
export function linearBackwardInputRef(
  dy: ArrayLike<number>,
  W: ArrayLike<number>,
  dims: { M: number; N: number; K: number; rowStart?: number },
): Float64Array {
  const { M, N, K } = dims;
  const r0 = dims.rowStart ?? 0;
  const dx = new Float64Array(M * K);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const g = dy[m * N + n] as number;
      for (let k = 0; k < K; k++) dx[m * K + k]! += g * (W[(r0 + n) * K + k] as number);
    }
  }
  return dx;
}

/** dW (N, K) = dyᵀ (N, M) · x (M, K): the gradient of rows rowStart .. rowStart + N of W. */
export function linearWeightGradRef(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  dims: { M: number; N: number; K: number },
): Float64Array {
  const { M, N, K } = dims;
  const dw = new Float64Array(N * K);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const g = dy[m * N + n] as number;
      for (let k = 0; k < K; k++) dw[n * K + k]! += g * (x[m * K + k] as number);
    }
  }
  return dw;
}

/** d bias[rowStart + n] = Σ_m dy[m, n]: (N). */
export function linearBiasGradRef(dy: ArrayLike<number>, dims: { M: number; N: number }): Float64Array {
  const db = new Float64Array(dims.N);
  for (let m = 0; m < dims.M; m++) for (let n = 0; n < dims.N; n++) db[n]! += dy[m * dims.N + n] as number;
  return db;
}
