// float64 reference of the GPU sampler (shaders/sample_forward.wgsl): the distribution it draws
// from after temperature, top-k and top-p, the log-prob it reports, its counter-based uniform
// number, and the inverse-CDF draw. Ties at a cut are kept, as in the kernel.

/** The PCG hash the kernel uses (32-bit). */
export function pcgHash(v: number): number {
  const s = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const w = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  return ((w >>> 22) ^ w) >>> 0;
}

/** The kernel's uniform number in [0, 1) for (seed, sequence id, position): 24 random bits. */
export function sampleUniform(seed: number, sequence: number, position: number): number {
  const h = pcgHash((pcgHash((pcgHash(seed) ^ sequence) >>> 0) ^ position) >>> 0);
  return (h >>> 8) / 16777216;
}

export type SamplingDistribution = {
  /** Probabilities after the cuts, renormalized (0 for excluded tokens). (V) */
  probs: Float64Array;
  /** log softmax(z / T) over the whole vocabulary, before the cuts (T = 1 when greedy). (V) */
  logprobs: Float64Array;
  /** Whether each token survives top-k and top-p. (V) */
  kept: boolean[];
};

/**
 * The distribution the sampler draws from for logits z: (V): y = z / T; top-k keeps y >= the k-th
 * largest y; top-p keeps, among those (renormalized), the fewest largest whose mass reaches p
 * (all tokens tied at the threshold stay). Greedy (T = 0) puts all mass on the first argmax.
 */
export function samplingDistribution(z: ArrayLike<number>, temperature: number, topK: number, topP: number): SamplingDistribution {
  const V = z.length;
  const greedy = !(temperature > 0);
  const invT = greedy ? 1 : 1 / temperature;
  const y = Float64Array.from({ length: V }, (_, i) => (z[i] as number) * invT);
  const ymax = Math.max(...y);
  let sum = 0;
  for (const v of y) sum += Math.exp(v - ymax);
  const logprobs = y.map((v) => v - ymax - Math.log(sum));
  const probs = new Float64Array(V);
  const kept = new Array<boolean>(V).fill(false);
  if (greedy) {
    const i = y.indexOf(ymax);
    probs[i] = 1;
    kept[i] = true;
    return { probs, logprobs, kept };
  }
  const sorted = Array.from(y).sort((a, b) => b - a);
  let tau = -Infinity;
  if (topK > 0 && topK < V) tau = sorted[topK - 1]!;
  if (topP < 1) {
    const survivors = sorted.filter((v) => v >= tau);
    const mass = survivors.reduce((a, v) => a + Math.exp(v - ymax), 0);
    let run = 0;
    for (const v of survivors) {
      run += Math.exp(v - ymax);
      if (run >= topP * mass) {
        tau = v;
        break;
      }
    }
  }
  let keptMass = 0;
  for (let i = 0; i < V; i++) {
    if (y[i]! >= tau) {
      kept[i] = true;
      keptMass += Math.exp(y[i]! - ymax);
    }
  }
  for (let i = 0; i < V; i++) if (kept[i]) probs[i] = Math.exp(y[i]! - ymax) / keptMass;
  return { probs, logprobs, kept };
}

/** The token the inverse CDF picks for uniform u: the first index whose running kept probability exceeds u. */
export function inverseCdf(probs: ArrayLike<number>, u: number): number {
  let run = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p <= 0) continue;
    run += p;
    last = i;
    if (u < run) return i;
  }
  return last;
}
