// Checks the one statement of LoRA settings: the default, the checks on r, alpha and targets, the
// --lora-targets / form syntax, and how an older run.json's {r, alpha} is completed. Node, no GPU.
import { describe, expect, it } from "vitest";
import { DEFAULT_LORA, LINEAR_NAMES, loraSettingsProblems, parseLoraTargets, resolveLoraSettings } from "./lora";

describe("LoRA settings", () => {
  it("default to r 16, alpha 32 on all seven projections, and the default passes its own checks", () => {
    expect(DEFAULT_LORA).toEqual({ r: 16, alpha: 32, targets: ["q", "k", "v", "o", "gate", "up", "down"] });
    expect(loraSettingsProblems({ ...DEFAULT_LORA })).toEqual([]);
  });

  it("state every problem at once", () => {
    const problems = loraSettingsProblems({ r: 2.5, alpha: 0, targets: ["q", "qkv" as never, "q"] });
    expect(problems).toEqual([
      expect.stringMatching(/rank r must be a whole number ≥ 1, got 2.5/),
      expect.stringMatching(/alpha must be a number > 0, got 0/),
      expect.stringMatching(/targets qkv are not projections/),
      expect.stringMatching(/name a projection twice/),
    ]);
    expect(loraSettingsProblems({ r: 4, alpha: 8, targets: [] })).toEqual([expect.stringMatching(/at least one of q, k, v/)]);
  });

  it("read target lists in PEFT's or the short names, in the projections' order", () => {
    expect(parseLoraTargets("v,q")).toEqual(["q", "v"]);
    expect(parseLoraTargets(" down_proj , q_proj,q ")).toEqual(["q", "down"]);
    expect(parseLoraTargets("all")).toEqual([...LINEAR_NAMES]);
    for (const bad of ["", "attn", "q,,x", "all,q"]) expect(() => parseLoraTargets(bad), bad).toThrow(/is not a list of projections: name some of q, k, v, o, gate, up, down/);
  });

  it("complete a record without targets with the default ones, keep given ones, and refuse bad ones", () => {
    expect(resolveLoraSettings({ r: 8, alpha: 16 })).toEqual({ r: 8, alpha: 16, targets: [...LINEAR_NAMES] });
    expect(resolveLoraSettings({ targets: ["v", "q"] })).toEqual({ r: 16, alpha: 32, targets: ["q", "v"] });
    expect(() => resolveLoraSettings({ r: 0 })).toThrow(/rank r must be a whole number ≥ 1, got 0/);
  });
});
