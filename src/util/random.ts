// Seeded pseudo-random numbers (mulberry32) for tests, task generators and
// sampling seeds: the same seed gives the same stream in every runtime.

/** A generator of floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n floats uniform in [lo, hi). */
export function uniformArray(rand: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

/** A fresh seed for a test run; tests print it so a failure can be replayed with TAPO_TEST_SEED=<seed>. */
export function freshSeed(): number {
  const replay = typeof process === "undefined" ? undefined : process.env.TAPO_TEST_SEED;
  if (replay !== undefined && replay !== "") {
    const seed = Number(replay);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`TAPO_TEST_SEED must be a whole number >= 0, got "${replay}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
