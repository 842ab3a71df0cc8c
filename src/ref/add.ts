// float64 reference of the residual add: y = a + b. a, b: (N) -> y: (N)
export function addRef(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new Error(`addRef: lengths differ (${a.length} vs ${b.length})`);
  const y = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) y[i] = (a[i] as number) + (b[i] as number);
  return y;
}
