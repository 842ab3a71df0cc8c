// float64 references of the generation attention path: scattering new K/V rows into a cache
// (S, L, W), and attention of query rows over their slot's cached positions 0..position.

/** kc[slot[r], pos[r], :] = k[r, :] (same for v), on copies of the caches; k, v: (M, W), kc, vc: (S, L, W). */
export function kvCacheWriteRef(
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  kc: ArrayLike<number>,
  vc: ArrayLike<number>,
  slots: ArrayLike<number>,
  positions: ArrayLike<number>,
  dims: { W: number; L: number },
): { kc: Float64Array; vc: Float64Array } {
  const { W, L } = dims;
  const kOut = Float64Array.from(kc);
  const vOut = Float64Array.from(vc);
  for (let r = 0; r < slots.length; r++) {
    const at = ((slots[r] as number) * L + (positions[r] as number)) * W;
    for (let e = 0; e < W; e++) {
      kOut[at + e] = k[r * W + e] as number;
      vOut[at + e] = v[r * W + e] as number;
    }
  }
  return { kc: kOut, vc: vOut };
}

/**
 * o[r, h] = Σ_j softmax_j(q[r,h]·kc[s,j,g] / sqrt(HD)) vc[s,j,g], j = 0..positions[r], s = slots[r],
 * g = h / (NH/NKV). q: (M, NH*HD), kc, vc: (S, L, NKV*HD) -> o: (M, NH*HD).
 */
export function attentionCachedRef(
  q: ArrayLike<number>,
  kc: ArrayLike<number>,
  vc: ArrayLike<number>,
  slots: ArrayLike<number>,
  positions: ArrayLike<number>,
  dims: { NH: number; NKV: number; HD: number; L: number },
): Float64Array {
  const { NH, NKV, HD, L } = dims;
  const M = slots.length;
  const W = NKV * HD;
  const scale = 1 / Math.sqrt(HD);
  const o = new Float64Array(M * NH * HD);
  for (let r = 0; r < M; r++) {
    const slot = slots[r] as number;
    const n = (positions[r] as number) + 1;
    for (let h = 0; h < NH; h++) {
      const g = Math.floor(h / (NH / NKV));
      const qo = (r * NH + h) * HD;
      const s = new Float64Array(n);
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        const ko = (slot * L + j) * W + g * HD;
        let dot = 0;
        for (let d = 0; d < HD; d++) dot += (q[qo + d] as number) * (kc[ko + d] as number);
        s[j] = dot * scale;
        max = Math.max(max, s[j]!);
      }
      let sum = 0;
      for (let j = 0; j < n; j++) {
        s[j] = Math.exp(s[j]! - max);
        sum += s[j]!;
      }
      for (let j = 0; j < n; j++) {
        const vo = (slot * L + j) * W + g * HD;
        const p = s[j]! / sum;
        for (let d = 0; d < HD; d++) o[qo + d] = (o[qo + d] as number) + p * (vc[vo + d] as number);
      }
    }
  }
  return o;
}
