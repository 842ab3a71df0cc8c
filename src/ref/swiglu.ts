// float64 reference of SwiGLU: h = silu(gate) · up, silu(g) = g · sigmoid(g), forward and backward.

function sigmoid(g: number): number {
  return 1 / (1 + Math.exp(-g));
}

/** gate, up: (n) -> h: (n). */
export function swigluForwardRef(gate: ArrayLike<number>, up: ArrayLike<number>): Float64Array {
  if (gate.length !== up.length) throw new Error(`swigluForwardRef: lengths differ (${gate.length} vs ${up.length})`);
  const h = new Float64Array(gate.length);
  for (let i = 0; i < h.length; i++) {
    const g = gate[i] as number;
    h[i] = g * sigmoid(g) * (up[i] as number);
  }
  return h;
}

/**
 * Gradients given dh, with s = sigmoid(gate): dgate = dh · up · s · (1 + gate · (1 - s)), dup = dh · gate · s.
 * gate, up, dh: (n) -> dgate, dup: (n).
 */
export function swigluBackwardRef(
  gate: ArrayLike<number>,
  up: ArrayLike<number>,
  dh: ArrayLike<number>,
): { dgate: Float64Array; dup: Float64Array } {
  const n = gate.length;
  if (up.length !== n || dh.length !== n) throw new Error(`swigluBackwardRef: lengths differ (${n}, ${up.length}, ${dh.length})`);
  const dgate = new Float64Array(n);
  const dup = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = gate[i] as number;
    const s = sigmoid(g);
    const d = dh[i] as number;
    dgate[i] = d * (up[i] as number) * s * (1 + g * (1 - s));
    dup[i] = d * g * s;
  }
  return { dgate, dup };
}
