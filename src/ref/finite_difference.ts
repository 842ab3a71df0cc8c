// Central finite differences for gradient checks of the float64 references and
// of the GPU runtime. Slots are perturbed in place and restored.

/** ∂f/∂v[i] for every i, by (f(v + h) − f(v − h)) / 2h. */
export function numericGrad(v: Float64Array, f: () => number, h = 1e-5): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = centralDifference(v, i, h, f);
  return out;
}

/**
 * ∂f/∂slot[i] by central difference, divided by the step actually stored, so a
 * Float32Array slot (whose ±h rounds) gives the right quotient too.
 */
export function centralDifference(slot: Float32Array | Float64Array, i: number, h: number, f: () => number): number {
  const x0 = slot[i] as number;
  slot[i] = x0 + h;
  const xp = slot[i] as number;
  const fp = f();
  slot[i] = x0 - h;
  const xm = slot[i] as number;
  const fm = f();
  slot[i] = x0;
  return (fp - fm) / (xp - xm);
}

