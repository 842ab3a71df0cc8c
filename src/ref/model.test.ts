// Checks properties of the float64 whole-model reference: causality, LoRA with B = 0 is a no-op, probabilities normalise. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { initLora } from "../model/lora";
import { randomSequences, tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import { freshSeed } from "../util/random";
import { headFromLogitsRef } from "./head";
import { refModel, refSequence } from "./model";

describe("reference model", () => {
  const seed = freshSeed();
  const config = tinyConfig({ layers: 1 });
  const ref = refModel(randomWeights(config, seed));
  const [seq] = randomSequences(seed + 1, [9], config.vocab) as [number[]];

  it(`is causal: changing a later token leaves earlier log-probs alone (seed ${seed})`, () => {
    const a = refSequence(ref, seq);
    const changed = [...seq];
    changed[6] = (changed[6]! + 1) % config.vocab;
    const b = refSequence(ref, changed);
    for (let t = 0; t < 5; t++) expect(b.logp[t]).toBe(a.logp[t]);
    expect(b.logp[5]).not.toBe(a.logp[5]); // predicts token 6, which changed
  });

  it(`treats a fresh LoRA adapter (B = 0) as no change, and a random one as a change (seed ${seed})`, () => {
    const base = refSequence(ref, seq);
    const fresh = refSequence(ref, seq, initLora(config, { r: 4, alpha: 8, targets: ["q", "v", "down"] }, seed));
    expect(Array.from(fresh.logp)).toEqual(Array.from(base.logp));
    const moved = refSequence(ref, seq, initLora(config, { r: 4, alpha: 8, targets: ["q", "v", "down"] }, seed, 0.5));
    expect(Math.max(...moved.logp.map((v, i) => Math.abs(v - base.logp[i]!)))).toBeGreaterThan(1e-6);
  });

  it("gives log-probs below zero and entropies within [0, log V]", () => {
    const { logp, entropy } = refSequence(ref, seq);
    for (const v of logp) expect(v).toBeLessThan(0);
    for (const e of entropy) {
      expect(e).toBeGreaterThanOrEqual(0);
      expect(e).toBeLessThanOrEqual(Math.log(config.vocab) + 1e-12);
    }
    // Uniform logits have entropy log V exactly: a check on the head reference the model uses.
    const uniform = headFromLogitsRef(new Float64Array(config.vocab), [0], 1, config.vocab);
    expect(uniform.entropy[0]).toBeCloseTo(Math.log(config.vocab), 12);
  });
});
