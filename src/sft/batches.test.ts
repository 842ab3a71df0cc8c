// Checks SFT batching (Node, no GPU): an epoch visits every example once, batches hold similar lengths (little padding), the order depends on the seed only, and steps run on across epochs.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { epochBatches, stepBatches } from "./batches";

describe("epochBatches", () => {
  it("visits each example once, in batches of similar length", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const lengths = Array.from({ length: 203 }, () => 20 + Math.floor(rand() * 300));
    const batches = epochBatches(lengths, 8, seed);
    expect(batches.flat().sort((a, b) => a - b), `seed ${seed}`).toEqual(lengths.map((_, i) => i));
    expect(batches.filter((b) => b.length !== 8)).toHaveLength(1);
    const padded = (bs: number[][]) => bs.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    // Random batches of 8 would pad to about the 8th order statistic; sorted windows pad far less.
    const random = Array.from({ length: Math.ceil(203 / 8) }, (_, k) => Array.from({ length: 8 }, (_, j) => k * 8 + j).filter((i) => i < 203));
    expect(padded(batches), `seed ${seed}`).toBeLessThan(0.85 * padded(random));
  });

  it("depends on the seed alone", () => {
    const lengths = Array.from({ length: 50 }, (_, i) => (i * 37) % 101);
    expect(epochBatches(lengths, 4, 9)).toEqual(epochBatches(lengths, 4, 9));
    expect(epochBatches(lengths, 4, 9)).not.toEqual(epochBatches(lengths, 4, 10));
  });
});

describe("stepBatches", () => {
  it("runs on into the next epoch, reshuffled", () => {
    const lengths = Array.from({ length: 10 }, (_, i) => i + 5);
    const steps = stepBatches(lengths, 4, 7, 1);
    expect(steps).toHaveLength(7);
    // 10 examples in batches of 4: 3 batches an epoch.
    expect(steps.slice(0, 3).flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(steps.slice(3, 6).flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(() => stepBatches([], 4, 1, 1)).toThrow(/no examples/);
    expect(() => epochBatches([1], 0, 1)).toThrow(RangeError);
  });
});
