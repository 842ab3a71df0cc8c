// Checks the Train page's form as data: every DAPO setting is in one group with help, the page defaults make a valid small request, and bad input (not a number, resolveDapoConfig's rules, run settings) is reported by field. Node, no GPU.
import learning from "../../bench/learning_settings.json";
import { describe, expect, it } from "vitest";
import { DAPO_CONFIG_DOC, DEFAULT_DAPO_CONFIG } from "../../rl/config";
import { DEFAULT_LORA } from "../../protocol/lora";
import { configGroups, helpOf, initialFormValues, readForm } from "./trainForm";

describe("configGroups", () => {
  it("places every DapoConfig setting in exactly one group", () => {
    const keys = configGroups().flatMap((g) => g.keys);
    expect([...keys].sort()).toEqual(Object.keys(DEFAULT_DAPO_CONFIG).sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("gives each setting its label, one line of help and its reference value", () => {
    for (const key of Object.keys(DEFAULT_DAPO_CONFIG) as (keyof typeof DEFAULT_DAPO_CONFIG)[]) {
      const help = helpOf(key);
      expect(help.label).toBe(DAPO_CONFIG_DOC[key].label);
      expect(help.doc.length).toBeGreaterThan(10);
      expect(help.reference).toContain(DAPO_CONFIG_DOC[key].reference);
    }
    expect(helpOf("promptsPerBatch").reference).toMatch(/default 64/);
  });
});

describe("readForm", () => {
  it("reads the page defaults into a valid request: the learning benchmark's settings", () => {
    const r = readForm(initialFormValues());
    expect(r.problems).toEqual([]);
    expect(r.config).toMatchObject({ ...learning.dapo, clipHigh: DEFAULT_DAPO_CONFIG.clipHigh });
    expect(r.settings).toMatchObject({ steps: learning.steps, seed: learning.seed, evalEvery: learning.evalEvery, evalTasks: learning.evalTasks, evalSamples: learning.evalSamples, lora: DEFAULT_LORA });
  });

  it("reads switches and numbers in any notation", () => {
    const r = readForm({ ...initialFormValues(), learningRate: "5e-5", llds: true, lrSchedule: "cosine" });
    expect(r.config).toMatchObject({ learningRate: 5e-5, llds: true, lrSchedule: "cosine" });
  });

  it("says which field is not a number, and passes on resolveDapoConfig's rules", () => {
    expect(readForm({ ...initialFormValues(), clipLow: "0.2x" }).problems).toEqual([expect.stringMatching(/^clipLow: "0.2x" is not a number/)]);
    const r = readForm({ ...initialFormValues(), promptsPerBatch: "4", miniBatches: "8", groupSize: "1" });
    expect(r.settings).toBeUndefined();
    expect(r.problems.some((p) => p.startsWith("groupSize is 1"))).toBe(true);
    expect(r.problems.some((p) => p.startsWith("miniBatches (8) exceeds promptsPerBatch (4)"))).toBe(true);
  });

  it("requires whole numbers for the run settings", () => {
    const r = readForm({ ...initialFormValues(), steps: "0", loraR: "2.5", evalEvery: "0" });
    expect(r.problems).toEqual([expect.stringMatching(/^steps: "0" must be a whole number ≥ 1/), expect.stringMatching(/^loraR: "2.5"/)]);
  });

  it("reads the LoRA targets as --lora-targets does, in the projections' order, and names a bad one", () => {
    expect(readForm({ ...initialFormValues(), loraTargets: " v_proj, q" }).settings?.lora?.targets).toEqual(["q", "v"]);
    expect(readForm({ ...initialFormValues(), loraTargets: "all" }).settings?.lora?.targets).toEqual(DEFAULT_LORA.targets);
    const r = readForm({ ...initialFormValues(), loraTargets: "q,attn" });
    expect(r.settings).toBeUndefined();
    expect(r.problems).toEqual([expect.stringMatching(/^loraTargets: .*"q,attn".*q, k, v, o, gate, up, down/)]);
  });
});
