// float64 reference of RoPE at explicit positions (generation rows), rotate-half convention:
// row r of x: (M, heads*D) turns pair (d, d + D/2) by positions[r] * theta^(-2d/D).
import { ropeInvFreq } from "./rope";

/** y = rope(x) with row r at positions[r]; x, y: (M, heads*headDim). */
export function ropePositionsRef(
  x: ArrayLike<number>,
  positions: ArrayLike<number>,
  dims: { heads: number; headDim: number; theta: number },
): Float64Array {
  const { heads, headDim: D } = dims;
  const M = positions.length;
  if (x.length !== M * heads * D) throw new Error(`rope_positions: x has ${x.length} values, want ${M * heads * D}`);
  const half = D / 2;
  const invFreq = ropeInvFreq(D, dims.theta);
  const out = new Float64Array(x.length);
  for (let r = 0; r < M; r++) {
    const pos = positions[r] as number;
    for (let d = 0; d < half; d++) {
      const angle = pos * (invFreq[d] as number);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const o = (r * heads + h) * D;
        const a = x[o + d] as number;
        const b = x[o + d + half] as number;
        out[o + d] = a * c - b * s;
        out[o + d + half] = b * c + a * s;
      }
    }
  }
  return out;
}
