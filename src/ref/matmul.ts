// float64 reference of the general matmul: C = alpha · op(A) · op(B) + beta · C.
// op(A): (M, K) stored as A (M, K) or, transA, A (K, M); op(B): (K, N) stored as B (K, N) or, transB, B (N, K).

export type MatmulRefDims = { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number };

/** Returns the new C (M, N); `c` (M, N) is read only when beta != 0 (so beta = 0 ignores NaN in it). */
export function matmulRef(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number> | undefined,
  dims: MatmulRefDims,
): Float64Array {
  const { M, N, K, transA, transB, alpha, beta } = dims;
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const av = a[transA ? k * M + m : m * K + k] as number;
        const bv = b[transB ? n * K + k : k * N + n] as number;
        s += av * bv;
      }
      let v = alpha * s;
      if (beta !== 0) v += beta * ((c as ArrayLike<number>)[m * N + n] as number);
      out[m * N + n] = v;
    }
  }
  return out;
}

/** Transpose: x (R, C) -> xᵀ (C, R), both row-major. */
export function transposeRef(x: ArrayLike<number>, R: number, C: number): Float64Array {
  const out = new Float64Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = x[r * C + c] as number;
  return out;
}
