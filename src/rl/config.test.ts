// Checks the DAPO config (Node, no GPU): reference defaults, one doc entry per field, and the checker's refusals.
import { describe, expect, it } from "vitest";
import { DAPO_CONFIG_DOC, DEFAULT_DAPO_CONFIG, DapoConfigError, dapoConfigProblems, resolveDapoConfig } from "./config";

describe("DapoConfig", () => {
  it("has the reference defaults of TAPO.md §4–5 and passes its own checks", () => {
    const c = DEFAULT_DAPO_CONFIG;
    expect([c.clipLow, c.clipHigh, c.dualClip]).toEqual([0.2, 0.28, 10]);
    expect([c.warmupSteps, c.weightDecay, c.gradClip, c.temperature, c.topP]).toEqual([10, 0.1, 1, 1, 1]);
    expect([c.maxRegenerationRounds, c.lldsLambda, c.advantageEps]).toEqual([10, 0.2, 1e-6]);
    expect([c.simpleTir, c.llds, c.truncationMasking, c.toolEfficiency]).toEqual([false, false, false, false]);
    expect(c.learningRate).toBeGreaterThanOrEqual(1e-5);
    expect(c.learningRate).toBeLessThanOrEqual(1e-4);
    expect(dapoConfigProblems({ ...c })).toEqual([]);
  });

  it("documents every field, and only the fields, with a label, a line and a reference", () => {
    expect(Object.keys(DAPO_CONFIG_DOC).sort()).toEqual(Object.keys(DEFAULT_DAPO_CONFIG).sort());
    for (const [key, d] of Object.entries(DAPO_CONFIG_DOC)) {
      expect(d.label.length, key).toBeGreaterThan(0);
      expect(d.doc.length, key).toBeGreaterThan(10);
      expect(d.reference.length, key).toBeGreaterThan(0);
    }
  });

  it("refuses a negative learning rate, G = 1, a typo and a buffer above L_max, naming each", () => {
    let error: unknown;
    try {
      resolveDapoConfig({ learningRate: -1e-5, groupSize: 1, overlongBuffer: 4096, ...({ clipHihg: 0.3 } as object) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DapoConfigError);
    const problems = (error as DapoConfigError).problems.join("\n");
    for (const word of ["learningRate", "groupSize", "overlongBuffer", "clipHihg"]) expect(problems).toContain(word);
    expect((error as DapoConfigError).problems.length).toBe(4);
  });

  it("applies overrides that pass the checks", () => {
    expect(resolveDapoConfig({ groupSize: 4, llds: true }).groupSize).toBe(4);
    expect(() => resolveDapoConfig({ dualClip: 1.1 })).toThrow(/dualClip/);
    expect(() => resolveDapoConfig({ topP: 0 })).toThrow(/topP/);
  });
});
