// float64 reference of causal grouped-query attention over a padded batch.
// q: (B*Tmax, NH*HD), k, v: (B*Tmax, NKV*HD), lens: (B); row r = b*Tmax + i. Query head h reads kv head
// h / (NH/NKV). Query i of sequence b attends keys j <= i; rows i >= lens[b] are padding: their outputs,
// lse and gradients are zero and their inputs are never read. Scores are scaled by 1/sqrt(HD).

export type AttentionDims = { B: number; Tmax: number; NH: number; NKV: number; HD: number };

function check(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, lens: ArrayLike<number>, dims: AttentionDims): void {
  const { B, Tmax, NH, NKV, HD } = dims;
  if (NH % NKV !== 0) throw new Error(`attention: NH=${NH} is not a multiple of NKV=${NKV}`);
  if (q.length !== B * Tmax * NH * HD) throw new Error(`attention: q has ${q.length} values, want ${B * Tmax * NH * HD}`);
  if (k.length !== B * Tmax * NKV * HD || v.length !== k.length) throw new Error("attention: k/v sizes do not match (B*Tmax, NKV*HD)");
  if (lens.length !== B) throw new Error(`attention: lens has ${lens.length} entries, want B=${B}`);
}

/** Softmax probabilities of query row (b, i, h) over keys 0..i, and their log-sum-exp. */
function probabilities(q: ArrayLike<number>, k: ArrayLike<number>, dims: AttentionDims, b: number, i: number, h: number) {
  const { Tmax, NH, NKV, HD } = dims;
  const kvh = Math.floor(h / (NH / NKV));
  const scale = 1 / Math.sqrt(HD);
  const qo = (b * Tmax + i) * NH * HD + h * HD;
  const s = new Float64Array(i + 1);
  let m = -Infinity;
  for (let j = 0; j <= i; j++) {
    const ko = (b * Tmax + j) * NKV * HD + kvh * HD;
    let dot = 0;
    for (let d = 0; d < HD; d++) dot += (q[qo + d] as number) * (k[ko + d] as number);
    s[j] = dot * scale;
    m = Math.max(m, s[j] as number);
  }
  let l = 0;
  for (let j = 0; j <= i; j++) l += Math.exp((s[j] as number) - m);
  const lse = m + Math.log(l);
  const p = s.map((x) => Math.exp(x - lse));
  return { p, lse, kvh, qo, scale };
}

/** o: (B*Tmax, NH*HD) and lse: (B*Tmax, NH), the log-sum-exp of each query row's scaled scores. */
export function attentionForwardRef(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  lens: ArrayLike<number>,
  dims: AttentionDims,
): { o: Float64Array; lse: Float64Array } {
  check(q, k, v, lens, dims);
  const { B, Tmax, NH, NKV, HD } = dims;
  const o = new Float64Array(B * Tmax * NH * HD);
  const lse = new Float64Array(B * Tmax * NH);
  for (let b = 0; b < B; b++) {
    const len = Math.min(lens[b] as number, Tmax);
    for (let i = 0; i < len; i++) {
      for (let h = 0; h < NH; h++) {
        const r = probabilities(q, k, dims, b, i, h);
        lse[(b * Tmax + i) * NH + h] = r.lse;
        for (let j = 0; j <= i; j++) {
          const vo = (b * Tmax + j) * NKV * HD + r.kvh * HD;
          const pj = r.p[j] as number;
          for (let d = 0; d < HD; d++) o[r.qo + d] = (o[r.qo + d] as number) + pj * (v[vo + d] as number);
        }
      }
    }
  }
  return { o, lse };
}

/** Gradients of Σ dO ⊙ o: dq (B*Tmax, NH*HD), dk and dv (B*Tmax, NKV*HD). */
export function attentionBackwardRef(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  lens: ArrayLike<number>,
  dO: ArrayLike<number>,
  dims: AttentionDims,
): { dq: Float64Array; dk: Float64Array; dv: Float64Array } {
  check(q, k, v, lens, dims);
  const { B, Tmax, NH, NKV, HD } = dims;
  const dq = new Float64Array(q.length);
  const dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  for (let b = 0; b < B; b++) {
    const len = Math.min(lens[b] as number, Tmax);
    for (let i = 0; i < len; i++) {
      for (let h = 0; h < NH; h++) {
        const { p, kvh, qo, scale } = probabilities(q, k, dims, b, i, h);
        const dP = new Float64Array(i + 1);
        let delta = 0;
        for (let j = 0; j <= i; j++) {
          const vo = (b * Tmax + j) * NKV * HD + kvh * HD;
          let dot = 0;
          for (let d = 0; d < HD; d++) dot += (dO[qo + d] as number) * (v[vo + d] as number);
          dP[j] = dot;
          delta += (p[j] as number) * dot;
        }
        for (let j = 0; j <= i; j++) {
          const ko = (b * Tmax + j) * NKV * HD + kvh * HD;
          const pj = p[j] as number;
          const dS = pj * ((dP[j] as number) - delta) * scale;
          for (let d = 0; d < HD; d++) {
            dq[qo + d] = (dq[qo + d] as number) + dS * (k[ko + d] as number);
            dk[ko + d] = (dk[ko + d] as number) + dS * (q[qo + d] as number);
            dv[ko + d] = (dv[ko + d] as number) + pj * (dO[qo + d] as number);
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
