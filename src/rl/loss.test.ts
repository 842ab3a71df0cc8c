// Checks the DAPO loss and its token weights (Node, no GPU): weights against central finite differences of the loss, a hand-computed batch, clip counting, policy-only denominators, micro-batch norms, LLDS, SimpleTIR and truncation drops.
import { describe, expect, it } from "vitest";
import { centralDifference } from "../ref/finite_difference";
import { freshSeed, mulberry32 } from "../util/random";
import { DEFAULT_DAPO_CONFIG } from "./config";
import { dapoLoss, dapoLossAndWeights, dapoTokenWeights, LossBatchError, lossSettings } from "./loss";
import { type DapoLossBatch, type DapoLossSettings, type LossRollout, lossNorm, predictedPolicyMask } from "./loss_batch";

const BASE: DapoLossSettings = lossSettings(DEFAULT_DAPO_CONFIG);

/** A rollout whose policy tokens have the given ratios; "F" marks a forced token (its logp is junk). */
function rollout(advantage: number, ratios: (number | "F")[], extra: Partial<LossRollout> = {}): LossRollout {
  const n = ratios.length;
  const policy = new Uint8Array(n);
  const logpOld = new Float32Array(n);
  const logp = new Float32Array(n);
  ratios.forEach((r, t) => {
    logpOld[t] = -1 - 0.1 * t;
    if (r === "F") {
      logp[t] = -7 + t;
      logpOld[t] = -0.01;
    } else {
      policy[t] = 1;
      logp[t] = (logpOld[t] as number) + Math.log(r);
    }
  });
  return { policy, logpOld, logp, advantage, ...extra };
}

/** Ratio bands, each well inside one branch of the objective for its sign of A (margins keep finite differences off the kinks). */
const BANDS_POS: [number, number][] = [[0.4, 0.75], [0.85, 0.95], [1.05, 1.2], [1.35, 3]]; // below-low (unclipped), inside, inside, high-clipped
const BANDS_NEG: [number, number][] = [[0.4, 0.75], [0.85, 0.95], [1.05, 1.2], [1.35, 8], [12, 30]]; // low-clipped, inside, inside, above-high (unclipped), dual

/** A random batch with every branch present, forced tokens in each rollout, both signs of A, a zero A, and drop flags. */
function randomBatch(rand: () => number, settings: DapoLossSettings): DapoLossBatch {
  const rollouts: LossRollout[] = [];
  const advantages = [1.3, -0.7, 0, 0.4, -2.1, 0.9, -1.1];
  advantages.forEach((a, i) => {
    const bands = a >= 0 ? BANDS_POS : BANDS_NEG;
    const T = 8 + Math.floor(rand() * 10);
    const ratios: (number | "F")[] = [];
    for (let t = 0; t < T; t++) {
      // Position 0 is forced; positions 1..bands stay policy so every band appears in each rollout.
      if (t === 0 || (t > bands.length && rand() < 0.25)) {
        ratios.push("F");
        continue;
      }
      const [lo, hi] = bands[t % bands.length] as [number, number];
      ratios.push(lo + (hi - lo) * rand());
    }
    const r = rollout(a, ratios, { voidTurn: i === 3, truncated: i === 4 });
    for (let t = 0; t < T; t++) r.logpOld[t] = (r.logpOld[t] as number) - 2 * rand();
    ratios.forEach((x, t) => {
      if (x !== "F") r.logp[t] = (r.logpOld[t] as number) + Math.log(x);
    });
    rollouts.push(r);
  });
  return { rollouts, settings };
}

function expectWeightsMatchFiniteDifferences(batch: DapoLossBatch, seed: number): void {
  const weights = dapoTokenWeights(batch);
  batch.rollouts.forEach((r, i) => {
    for (let t = 0; t < r.logp.length; t++) {
      const fd = centralDifference(r.logp, t, 1e-3, () => dapoLoss(batch).loss);
      const w = weights[i]![t] as number;
      const where = `seed ${seed}, rollout ${i}, position ${t} (policy ${r.policy[t]}): weight ${w}, finite difference ${fd}`;
      expect(Math.abs(w - fd), where).toBeLessThanOrEqual(1e-9 + 1e-5 * Math.abs(fd));
      if (!r.policy[t]) expect(w, where).toBe(0);
    }
  });
}

describe("dapoTokenWeights", () => {
  for (const variant of [
    { name: "plain", s: BASE },
    { name: "LLDS", s: { ...BASE, llds: true, lldsLambda: 0.2 } },
    { name: "SimpleTIR and truncation masking", s: { ...BASE, simpleTir: true, truncationMasking: true } },
    { name: "everything on", s: { ...BASE, llds: true, lldsLambda: 0.7, simpleTir: true, truncationMasking: true } },
  ]) {
    it(`equals central finite differences of dapoLoss (${variant.name})`, () => {
      const seed = freshSeed();
      const batch = randomBatch(mulberry32(seed), variant.s);
      const m = dapoLoss(batch);
      // Every clip region is exercised, so the zero-gradient branches are checked too.
      expect(m.clipHighFraction, `seed ${seed}`).toBeGreaterThan(0);
      expect(m.clipLowFraction, `seed ${seed}`).toBeGreaterThan(0);
      expect(m.dualClipFraction, `seed ${seed}`).toBeGreaterThan(0);
      expect(m.clipFraction, `seed ${seed}`).toBeLessThan(1);
      expectWeightsMatchFiniteDifferences(batch, seed);
    });
  }

  it("gives 0 to forced tokens, clipped tokens and dropped rollouts, −A·r/N elsewhere", () => {
    const s = { ...BASE, simpleTir: true };
    const batch: DapoLossBatch = {
      rollouts: [rollout(1, ["F", 1.5, "F", 0.5]), rollout(-2, [0.5, 20, "F", 2]), rollout(3, [1.0, 1.1], { voidTurn: true })],
      settings: s,
    };
    const w = dapoTokenWeights(batch);
    const N = 5;
    expect(Array.from(w[0]!)).toEqual([0, 0, 0, Math.fround(-0.5 / N)]);
    expect(w[1]![0]).toBe(0);
    expect(w[1]![1]).toBe(0);
    expect(w[1]![2]).toBe(0);
    expect(w[1]![3]).toBeCloseTo((2 * 2) / N, 6);
    expect(Array.from(w[2]!)).toEqual([0, 0]);
  });
});

describe("dapoLoss", () => {
  it("matches a hand-computed tiny batch with a token in every branch", () => {
    // A = 1:  r = 1.5 → high clip, ℓ = −1.28;  r = 0.5 → unclipped, ℓ = −0.5.
    // A = −2: r = 0.5 → low clip, ℓ = 2·0.8 = 1.6;  r = 20 → dual clip, ℓ = 2·10 = 20;  r = 2 → unclipped, ℓ = 4.
    const batch: DapoLossBatch = { rollouts: [rollout(1, ["F", 1.5, "F", 0.5]), rollout(-2, [0.5, 20, "F", 2])], settings: BASE };
    const m = dapoLoss(batch);
    expect(m.loss).toBeCloseTo((-1.28 - 0.5 + 1.6 + 20 + 4) / 5, 5);
    expect(m.policyLoss).toBe(m.loss);
    expect(m.lldsLoss).toBe(0);
    expect(m.policyTokens).toBe(5);
    expect(m.clipHighFraction).toBeCloseTo(1 / 5, 12);
    expect(m.clipLowFraction).toBeCloseTo(1 / 5, 12);
    expect(m.dualClipFraction).toBeCloseTo(1 / 5, 12);
    expect(m.clipFraction).toBeCloseTo(3 / 5, 12);
    expect(m.meanRatio).toBeCloseTo((1.5 + 0.5 + 0.5 + 20 + 2) / 5, 5);
  });

  it("counts clips by the sign of A: a high ratio clips only positive advantages, a low one only negative", () => {
    const high = dapoLoss({ rollouts: [rollout(1, [1.5, 1.5]), rollout(-1, [1.5, 1.5])], settings: BASE });
    expect(high.clipHighFraction).toBe(0.5);
    expect(high.clipLowFraction).toBe(0);
    const low = dapoLoss({ rollouts: [rollout(1, [0.5]), rollout(-1, [0.5, 0.5, 0.5])], settings: BASE });
    expect(low.clipLowFraction).toBe(0.75);
    expect(low.clipHighFraction).toBe(0);
    const none = dapoLoss({ rollouts: [rollout(0, [3, 0.1]), rollout(1, [1.2]), rollout(-1, [0.9])], settings: BASE });
    expect(none.clipFraction).toBe(0);
  });

  it("divides by policy tokens only: adding forced tokens changes nothing", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const ratios = [0.7, 1.1, 1.4, 0.95, 2.5];
    const plain = { rollouts: [rollout(0.8, ratios), rollout(-1.2, ratios.slice(0, 3))], settings: BASE };
    const withForced = {
      rollouts: [
        rollout(0.8, ["F", "F", 0.7, 1.1, "F", "F", "F", 1.4, 0.95, "F", 2.5]),
        rollout(-1.2, ["F", 0.7, "F", 1.1, "F", 1.4, "F", "F"]),
      ],
      settings: BASE,
    };
    // Forced log-probs are junk that must not matter.
    for (const r of withForced.rollouts) for (let t = 0; t < r.policy.length; t++) if (!r.policy[t]) r.logp[t] = -20 * rand();
    const a = dapoLoss(plain);
    const b = dapoLoss(withForced);
    expect(b.policyTokens, `seed ${seed}`).toBe(8);
    expect(b.loss, `seed ${seed}`).toBeCloseTo(a.loss, 6);
    // Token-level, not per sequence: the mean of the two sequences' means differs from the token mean here.
    const perSeq = (dapoLoss({ ...plain, rollouts: [plain.rollouts[0]!] }).loss + dapoLoss({ ...plain, rollouts: [plain.rollouts[1]!] }).loss) / 2;
    expect(Math.abs(perSeq - a.loss)).toBeGreaterThan(1e-3);
    expect(a.loss).toBeCloseTo(
      (5 * dapoLoss({ ...plain, rollouts: [plain.rollouts[0]!] }).loss + 3 * dapoLoss({ ...plain, rollouts: [plain.rollouts[1]!] }).loss) / 8,
      6,
    );
  });

  it("splits into micro-batches whose losses and weights, normalised by the mini-batch, add up to the whole", () => {
    const seed = freshSeed();
    const whole = randomBatch(mulberry32(seed), { ...BASE, llds: true });
    const norm = lossNorm(whole.rollouts, whole.settings);
    const first = { ...whole, rollouts: whole.rollouts.slice(0, 3), norm };
    const second = { ...whole, rollouts: whole.rollouts.slice(3), norm };
    const all = dapoLossAndWeights(whole);
    const a = dapoLossAndWeights(first);
    const b = dapoLossAndWeights(second);
    expect(a.result.loss + b.result.loss, `seed ${seed}`).toBeCloseTo(all.result.loss, 9);
    [...a.weights, ...b.weights].forEach((w, i) => expect(Array.from(w), `seed ${seed}, rollout ${i}`).toEqual(Array.from(all.weights[i]!)));
  });

  it("applies LLDS only to tokens of non-negative advantage whose log-prob fell", () => {
    const lambda = 0.2;
    const s = { ...BASE, llds: true, lldsLambda: lambda };
    // Ratios below 1 are log-prob drops of −ln r; 1.1 is a rise and must not count.
    const rollouts = [rollout(1, [0.9, 1.1, "F"]), rollout(0, [0.8, 0.5]), rollout(-1, [0.9, 0.7])];
    const off = dapoLossAndWeights({ rollouts, settings: BASE });
    const on = dapoLossAndWeights({ rollouts, settings: s });
    const nonNegative = 4; // 2 + 2 policy tokens with A ≥ 0
    const drop = -Math.log(0.9) - Math.log(0.8) - Math.log(0.5);
    expect(on.result.lldsLoss).toBeCloseTo((lambda * drop) / nonNegative, 6);
    expect(on.result.loss).toBeCloseTo(off.result.loss + on.result.lldsLoss, 9);
    const delta = on.weights.map((w, i) => Array.from(w, (x, t) => x - (off.weights[i]![t] as number)));
    const step = Math.fround(-lambda / nonNegative);
    expect(delta[0]![0]).toBeCloseTo(step, 7);
    expect(delta[0]![1]).toBe(0);
    expect(delta[0]![2]).toBe(0);
    expect(delta[1]![0]).toBeCloseTo(step, 7);
    expect(delta[1]![1]).toBeCloseTo(step, 7);
    expect(delta[2]).toEqual([0, 0]);
  });

  it("drops void-turn and truncated rollouts only when their switches are on", () => {
    const keep = rollout(1, [0.9, 1.1, 1.5]);
    const voidTurn = rollout(-1, [0.6, 2], { voidTurn: true });
    const truncated = rollout(-0.5, [0.7, 1.3, 1.0], { truncated: true });
    const rollouts = [keep, voidTurn, truncated];
    const baseline = dapoLoss({ rollouts, settings: BASE });
    expect(baseline.policyTokens).toBe(8);
    expect(baseline.droppedRollouts).toBe(0);
    const tir = dapoLoss({ rollouts, settings: { ...BASE, simpleTir: true } });
    expect(tir.droppedRollouts).toBe(1);
    expect(tir.loss).toBeCloseTo(dapoLoss({ rollouts: [keep, truncated], settings: BASE }).loss, 9);
    const trunc = dapoLoss({ rollouts, settings: { ...BASE, truncationMasking: true } });
    expect(trunc.droppedRollouts).toBe(1);
    expect(trunc.loss).toBeCloseTo(dapoLoss({ rollouts: [keep, voidTurn], settings: BASE }).loss, 9);
    const both = dapoTokenWeights({ rollouts, settings: { ...BASE, simpleTir: true, truncationMasking: true } });
    expect(Array.from(both[1]!)).toEqual([0, 0]);
    expect(Array.from(both[2]!)).toEqual([0, 0, 0]);
    expect(both[0]!.some((w) => w !== 0)).toBe(true);
  });

  it("is 0 with zero weights when no policy token is left", () => {
    const m = dapoLossAndWeights({ rollouts: [rollout(1, ["F", "F"]), rollout(-1, [0.5], { truncated: true })], settings: { ...BASE, truncationMasking: true } });
    expect(m.result.loss).toBe(0);
    expect(m.result.policyTokens).toBe(0);
    expect(m.weights.every((w) => w.every((x) => x === 0))).toBe(true);
  });

  it("refuses mismatched lengths and non-finite log-probs of policy tokens", () => {
    const bad = rollout(1, [1, 1]);
    expect(() => dapoLoss({ rollouts: [{ ...bad, logp: new Float32Array(3) }], settings: BASE })).toThrow(LossBatchError);
    const nan = rollout(1, [1, 1]);
    nan.logp[1] = NaN;
    expect(() => dapoLoss({ rollouts: [nan], settings: BASE })).toThrow(/position 1/);
    const forcedNan = rollout(1, ["F", 1]);
    forcedNan.logp[0] = NaN;
    expect(dapoLoss({ rollouts: [forcedNan], settings: BASE }).policyTokens).toBe(1);
  });
});

describe("predictedPolicyMask", () => {
  it("marks position t when token t + 1 was sampled", () => {
    expect(Array.from(predictedPolicyMask(["prompt", "prompt", "policy", "policy", "forced", "policy"]))).toEqual([0, 1, 1, 0, 1]);
    expect(predictedPolicyMask([]).length).toBe(0);
  });
});
