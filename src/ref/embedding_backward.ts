// float64 reference of the embedding backward: dE[v, :] += Σ_t [ids[t] == v] dx[t, :] (ids >= V ignored).

/** ids: (T), dx: (T, C), dE: (V, C) accumulated into (a fresh zero one when omitted) -> dE. */
export function embeddingBackwardRef(
  ids: ArrayLike<number>,
  dx: ArrayLike<number>,
  V: number,
  C: number,
  dE: Float64Array = new Float64Array(V * C),
): Float64Array {
  if (dE.length !== V * C) throw new Error(`embeddingBackwardRef: dE has ${dE.length} elements, want V·C = ${V * C}`);
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t] as number;
    if (id >= V) continue;
    for (let c = 0; c < C; c++) dE[id * C + c] = (dE[id * C + c] as number) + (dx[t * C + c] as number);
  }
  return dE;
}
