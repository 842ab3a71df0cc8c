// Checks the sampler reference (Node, no GPU): temperature scaling, top-k and top-p keep exactly the sets their definitions name, greedy, the counter-based uniform numbers, and the inverse CDF.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { inverseCdf, sampleUniform, samplingDistribution } from "./sample";

function randomLogits(seed: number, V: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: V }, () => 6 * rand() - 3);
}

describe("samplingDistribution", () => {
  it("is softmax(z/T) without cuts, and its logprobs are log softmax(z/T)", () => {
    const seed = freshSeed();
    const z = randomLogits(seed, 20);
    const T = 0.7;
    const d = samplingDistribution(z, T, 0, 1);
    const e = Array.from(z, (v) => Math.exp(v / T));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((x, i) => {
      expect(Math.abs(d.probs[i]! - x / sum), `seed=${seed}`).toBeLessThan(1e-12);
      expect(Math.abs(d.logprobs[i]! - Math.log(x / sum))).toBeLessThan(1e-12);
    });
  });

  it("keeps the k largest under top-k and the smallest sufficient set under top-p", () => {
    const seed = freshSeed();
    const z = randomLogits(seed, 30);
    const order = Array.from(z.keys()).sort((a, b) => z[b]! - z[a]!);
    const k = 5;
    const dk = samplingDistribution(z, 1, k, 1);
    expect(order.filter((i) => dk.kept[i]), `seed=${seed}`).toEqual(order.slice(0, k));
    const p = 0.5;
    const dp = samplingDistribution(z, 1, 0, p);
    const full = samplingDistribution(z, 1, 0, 1).probs;
    const kept = order.filter((i) => dp.kept[i]);
    expect(kept).toEqual(order.slice(0, kept.length)); // a prefix of the sorted order
    const mass = (ids: number[]) => ids.reduce((a, i) => a + full[i]!, 0);
    expect(mass(kept)).toBeGreaterThanOrEqual(p);
    expect(mass(kept.slice(0, -1))).toBeLessThan(p);
    expect(dp.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("puts all mass on the first argmax when greedy", () => {
    const z = [0.5, 2, -1, 2];
    const d = samplingDistribution(z, 0, 0, 1);
    expect(Array.from(d.probs)).toEqual([0, 1, 0, 0]);
  });
});

describe("sampleUniform and inverseCdf", () => {
  it("gives numbers in [0, 1) that look uniform and depend on every counter field", () => {
    const seed = freshSeed();
    const us = Array.from({ length: 4000 }, (_, i) => sampleUniform(seed, i % 13, i));
    expect(us.every((u) => u >= 0 && u < 1)).toBe(true);
    const mean = us.reduce((a, b) => a + b, 0) / us.length;
    expect(Math.abs(mean - 0.5), `seed=${seed}`).toBeLessThan(0.03); // sd of the mean is 0.0046
    expect(sampleUniform(seed, 1, 2)).not.toBe(sampleUniform(seed + 1, 1, 2));
    expect(sampleUniform(seed, 1, 2)).not.toBe(sampleUniform(seed, 2, 2));
    expect(sampleUniform(seed, 1, 2)).not.toBe(sampleUniform(seed, 1, 3));
  });

  it("picks the first token whose running probability exceeds u", () => {
    const probs = [0, 0.2, 0.5, 0, 0.3];
    expect(inverseCdf(probs, 0)).toBe(1);
    expect(inverseCdf(probs, 0.19)).toBe(1);
    expect(inverseCdf(probs, 0.2)).toBe(2);
    expect(inverseCdf(probs, 0.71)).toBe(4);
    expect(inverseCdf(probs, 0.9999999)).toBe(4);
  });
});
