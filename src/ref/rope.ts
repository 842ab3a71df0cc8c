// float64 reference of rotary position embeddings, rotate-half convention (Qwen2 / HF `rotate_half`).
// x: (B*Tmax, heads*D) with row r = b*Tmax + i at position i. For d < D/2 the pair (d, d + D/2) turns by
// angle = i * theta^(-2d/D): out[d] = x[d] cos - x[d+D/2] sin, out[d+D/2] = x[d+D/2] cos + x[d] sin.
// The backward is the transpose: the rotation by -angle.

export type RopeDims = { B: number; Tmax: number; heads: number; headDim: number; theta: number };

/** inv_freq[d] = theta^(-2d/D) for d < D/2, in float64. */
export function ropeInvFreq(headDim: number, theta: number): Float64Array {
  const half = headDim / 2;
  const f = new Float64Array(half);
  for (let d = 0; d < half; d++) f[d] = Math.pow(theta, (-2 * d) / headDim);
  return f;
}

function rotate(x: ArrayLike<number>, dims: RopeDims, sign: 1 | -1): Float64Array {
  const { B, Tmax, heads, headDim: D } = dims;
  if (D % 2 !== 0) throw new Error(`rope: head dim must be even, got ${D}`);
  if (x.length !== B * Tmax * heads * D) throw new Error(`rope: x has ${x.length} values, want ${B * Tmax * heads * D}`);
  const half = D / 2;
  const invFreq = ropeInvFreq(D, dims.theta);
  const out = new Float64Array(x.length);
  for (let row = 0; row < B * Tmax; row++) {
    const pos = row % Tmax;
    for (let d = 0; d < half; d++) {
      const angle = pos * (invFreq[d] as number);
      const c = Math.cos(angle);
      const s = sign * Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const o = (row * heads + h) * D;
        const a = x[o + d] as number;
        const b = x[o + d + half] as number;
        out[o + d] = a * c - b * s;
        out[o + d + half] = b * c + a * s;
      }
    }
  }
  return out;
}

/** y = rope(x); x, y: (B*Tmax, heads*headDim). */
export function ropeForwardRef(x: ArrayLike<number>, dims: RopeDims): Float64Array {
  return rotate(x, dims, 1);
}

/** dx = rope⁻¹(dy) (rotation by -angle); dy, dx: (B*Tmax, heads*headDim). */
export function ropeBackwardRef(dy: ArrayLike<number>, dims: RopeDims): Float64Array {
  return rotate(dy, dims, -1);
}
