// Checks FileSets over picked files (Node's File, no browser, no GPU): folder-relative names, one .gguf, range reads.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { ggufFileSet, localFileSet } from "./local";

describe("localFileSet", () => {
  it("names files by their path inside the picked folder and reads slices", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const bytes = new Uint8Array(5000).map(() => Math.floor(rand() * 256));
    const files = [new File(["{}"], "config.json"), new File([bytes], "model.safetensors")];
    const set = localFileSet(files, ["/Qwen2.5-0.5B/config.json", "/Qwen2.5-0.5B/model.safetensors"]);
    expect(set.label).toBe("the folder Qwen2.5-0.5B");
    expect(set.list()).toEqual(["config.json", "model.safetensors"]);
    const off = Math.floor(rand() * 4000);
    expect([...(await set.get("model.safetensors")!.read(off, 999))], `seed ${seed}`).toEqual([...bytes.subarray(off, off + 999)]);
  });

  it("keeps names as they are when files do not share a folder", () => {
    const set = localFileSet([new File(["a"], "a.json"), new File(["b"], "b.json")], ["x/a.json", "y/b.json"]);
    expect(set.list()).toEqual(["x/a.json", "y/b.json"]);
    expect(set.label).toBe("2 chosen files");
  });

  it("takes one .gguf file and refuses other names", () => {
    expect(ggufFileSet(new File([new Uint8Array(10)], "m.gguf")).list()).toEqual(["m.gguf"]);
    expect(() => ggufFileSet(new File(["x"], "m.bin"))).toThrow(/not a .gguf file/);
  });
});
