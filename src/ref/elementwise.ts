// float64 references of the small runtime helpers: axpy (y += alpha·x), column sum (bias gradient), fill.

/** y + alpha · x as a new array; x, y: (n). */
export function axpyRef(alpha: number, x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) throw new Error(`axpyRef: lengths differ (${x.length} vs ${y.length})`);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (y[i] as number) + alpha * (x[i] as number);
  return out;
}

/** db[n] = (db0[n] when given, else 0) + Σ_m dy[m, n]; dy: (M, N), db0: (N) -> (N). */
export function columnSumRef(dy: ArrayLike<number>, M: number, N: number, db0?: ArrayLike<number>): Float64Array {
  if (dy.length !== M * N) throw new Error(`columnSumRef: dy has ${dy.length} elements, want M·N = ${M * N}`);
  const db = new Float64Array(N);
  if (db0) for (let n = 0; n < N; n++) db[n] = db0[n] as number;
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) db[n] = (db[n] as number) + (dy[m * N + n] as number);
  return db;
}

/** n copies of value. */
export function fillRef(n: number, value: number): Float64Array {
  return new Float64Array(n).fill(value);
}
