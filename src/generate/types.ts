// The contract between the rollout loop and GPU generation: sequences are
// prefilled (prompt, then forced tool responses) into a KV cache, and decoded
// one token per step for every running sequence at once; sampling happens on
// the GPU, so only token ids and their log-probs come back.

export type SamplingParams = {
  /** Softmax temperature; 0 means greedy (argmax). */
  temperature: number;
  /** Nucleus: keep the smallest set of tokens whose probability reaches topP (1 keeps all). */
  topP: number;
  /** Keep only the topK most likely tokens (0 keeps all). */
  topK: number;
  /** Seed of the sampler's random stream; step and sequence are mixed in, so runs repeat exactly. */
  seed: number;
};

/** A token the sampler drew, with log π(token) under the model at the sampling temperature (before top-p/top-k cuts). */
export type SampledToken = { token: number; logprob: number };

/** A sequence living in the KV cache. */
export type SequenceHandle = { readonly id: number; readonly length: number };

export interface SequenceGenerator {
  /** Prefills a prompt into a fresh cache slot. */
  start(prompt: number[]): Promise<SequenceHandle>;
  /** Prefills forced tokens (a tool response, a corrective message) after what the sequence holds. */
  append(seq: SequenceHandle, forced: number[]): Promise<void>;
  /** One decode step for each listed sequence (each appends its sampled token); sequences not listed wait. */
  step(seqs: SequenceHandle[], sampling: SamplingParams): Promise<SampledToken[]>;
  /** Frees the sequence's cache slot. */
  release(seq: SequenceHandle): void;
  /** Cache slots free now (sequences that can still be started); absent: unbounded. The rollout loop keeps at most this many live. */
  readonly freeSequences?: number;
}
