// float64 reference of the embedding gather. ids: (T), E: (V, C) dequantized -> x: (T, C)
export function embeddingRef(ids: ArrayLike<number>, E: Float64Array, V: number, C: number): Float64Array {
  const x = new Float64Array(ids.length * C);
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t] as number;
    if (id >= V) continue;
    x.set(E.subarray(id * C, (id + 1) * C), t * C);
  }
  return x;
}
