// Checks how a trial run overrides the tiny model's build settings (Node, no GPU): nested values merge, the rest stays, and unknown or mistyped settings are refused with their path.
import { describe, expect, it } from "vitest";
import { mergeSettings, settingsJson } from "./build_settings";

describe("mergeSettings", () => {
  it("replaces only the values given, at any depth", () => {
    const s = mergeSettings(settingsJson, { sft: { steps: 3 }, demonstrations: { perRound: { easy: 1 } } });
    expect(s.sft.steps).toBe(3);
    expect(s.sft.lr).toBe(settingsJson.sft.lr);
    expect(s.demonstrations.perRound).toEqual({ ...settingsJson.demonstrations.perRound, easy: 1 });
    expect(settingsJson.sft.steps).not.toBe(3);
  });

  it("refuses unknown paths and values of the wrong type", () => {
    expect(() => mergeSettings(settingsJson, { sft: { stepz: 3 } })).toThrow(/settings\.sft\.stepz is not a build setting/);
    expect(() => mergeSettings(settingsJson, { sft: { steps: "many" } })).toThrow(/settings\.sft\.steps must be a number/);
    expect(() => mergeSettings(settingsJson, { sft: 3 })).toThrow(/settings\.sft must be an object/);
  });
});
