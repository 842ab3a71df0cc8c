// Tiny Qwen2-shaped configurations and batches for tests: small enough for
// SwiftShader and float64 finite differences, awkward enough to catch
// indexing bugs (GQA, vocab not a multiple of the head's chunk, uneven lengths).
import { mulberry32 } from "../util/random";
import type { Qwen2Config } from "./config";

/** hidden 64, 4 heads over 2 kv heads of dim 16, MLP 96, 2 layers, vocab 67. */
export function tinyConfig(over: Partial<Qwen2Config> = {}): Qwen2Config {
  return {
    hidden: 64,
    intermediate: 96,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    headDim: 16,
    vocab: 67,
    rmsEps: 1e-6,
    ropeTheta: 10000,
    tieEmbeddings: true,
    maxPositions: 128,
    ...over,
  };
}

/** Random token sequences with the given lengths. */
export function randomSequences(seed: number, lengths: number[], vocab: number): number[][] {
  const rand = mulberry32(seed);
  return lengths.map((n) => Array.from({ length: n }, () => Math.floor(rand() * vocab)));
}

/** Random per-token loss weights (length len-1 per sequence). */
export function randomTokenWeights(seed: number, seqs: number[][]): Float32Array[] {
  const rand = mulberry32(seed);
  return seqs.map((s) => new Float32Array(s.length - 1).map(() => 2 * rand() - 1));
}
