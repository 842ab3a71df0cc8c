// Checks the model identity a resume compares: the same files give the same identity, and a change of one byte
// in a sampled slice of the weights, of config.json, or of the quantization is named. Node, no GPU.
import { describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { freshSeed, mulberry32 } from "../util/random";
import { identityDifference, modelIdentity } from "./model_identity";

function model(seed: number, patch?: (weights: Uint8Array) => void, config = '{"hidden_size": 64}') {
  const rand = mulberry32(seed);
  const weights = new Uint8Array(100_000).map(() => Math.floor(rand() * 256));
  patch?.(weights);
  return fileSet("models/a", [bytesSource("config.json", new TextEncoder().encode(config)), bytesSource("model.safetensors", weights)]);
}

describe("modelIdentity", () => {
  it("is the same for the same files and names what changed otherwise", async () => {
    const seed = freshSeed();
    const a = await modelIdentity(model(seed), "q4_0");
    expect(await modelIdentity(model(seed), "q4_0"), `seed ${seed}`).toEqual(a);
    expect(identityDifference(a, await modelIdentity(model(seed), "q4_0"))).toBeUndefined();
    const halfway = await modelIdentity(model(seed, (w) => (w[50_000] = (w[50_000]! + 1) % 256)), "q4_0");
    expect(identityDifference(a, halfway), `seed ${seed}`).toBe("the run was trained on models/a (q4_0); models/a has other weights");
    const config = await modelIdentity(model(seed, undefined, '{"hidden_size": 128}'), "f32");
    expect(identityDifference(a, config)).toBe("the run was trained on models/a (q4_0); models/a has another config, quantization f32 instead of q4_0");
  });
});
