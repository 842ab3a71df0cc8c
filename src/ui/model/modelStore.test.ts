// Checks the Model page store's actions in Node (no browser, no GPU): choosing local files records a serialisable
// source with the selected model files, quantization follows into the choice, errors are kept, reset clears all.
import { afterEach, describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../../io/source";
import {
  BUNDLED_CHOICE,
  chooseBundled,
  chooseLocal,
  chosenFileSet,
  downloadFromHub,
  refreshCachedModels,
  requestModelLoad,
  resetModelStore,
  setQuantization,
  useModelStore,
} from "./modelStore";

afterEach(() => resetModelStore());

describe("model store", () => {
  it("records picked HF files as the chosen source, leaving out non-model files", () => {
    const set = fileSet("the folder m", [
      bytesSource("config.json", new Uint8Array(3)),
      bytesSource("model.safetensors", new Uint8Array(40)),
      bytesSource("README.md", new Uint8Array(7)),
    ]);
    chooseLocal(set);
    const chosen = useModelStore.getState().chosen!;
    expect(chosen.source).toEqual({
      kind: "local",
      label: "the folder m",
      layout: "safetensors",
      files: [
        { name: "config.json", size: 3 },
        { name: "model.safetensors", size: 40 },
      ],
    });
    expect(chosen.bytes).toBe(43);
    expect(chosen.quantization).toBe("q4_0");
    expect(JSON.parse(JSON.stringify(useModelStore.getState()))).toEqual(useModelStore.getState());
    expect(chosenFileSet()?.list()).toEqual(["config.json", "model.safetensors"]);
    setQuantization("q8_0");
    expect(useModelStore.getState().chosen!.quantization).toBe("q8_0");
  });

  it("loads the bundled model in f32 whatever the quantization, and other sources with the quantization set", () => {
    expect(useModelStore.getState().quantization).toBe("q4_0");
    expect(useModelStore.getState().chosen?.quantization).toBe("none");
    setQuantization("q8_0"); // the bundled model stays f32
    expect(useModelStore.getState().chosen).toEqual(BUNDLED_CHOICE);
    chooseLocal(fileSet("m", [bytesSource("config.json", new Uint8Array(3)), bytesSource("model.safetensors", new Uint8Array(40))]));
    expect(useModelStore.getState().chosen?.quantization).toBe("q8_0");
    chooseBundled();
    expect(useModelStore.getState().chosen?.quantization).toBe("none");
    expect(useModelStore.getState().quantization).toBe("q8_0");
  });

  it("keeps the message of a source that holds no model, and of a malformed hub id", async () => {
    chooseLocal(fileSet("stuff", [bytesSource("notes.txt", new Uint8Array(1))]));
    expect(useModelStore.getState().sourceError).toMatch(/holds no model/);
    expect(useModelStore.getState().chosen).toEqual(BUNDLED_CHOICE); // the previous choice stays
    await downloadFromHub("no spaces allowed");
    expect(useModelStore.getState().sourceError).toMatch(/not a Hugging Face model id/);
    expect(useModelStore.getState().download.status).toBe("idle");
  });

  it("says the cache is unavailable where there is no OPFS, and reset clears everything", async () => {
    await refreshCachedModels();
    expect(useModelStore.getState().cache.status).toBe("unavailable");
    requestModelLoad({ kind: "hub", repoId: "Qwen/Qwen2.5-0.5B" });
    expect(useModelStore.getState().chosen?.source.kind).toBe("hub");
    resetModelStore();
    expect(useModelStore.getState().chosen).toEqual(BUNDLED_CHOICE);
    expect(useModelStore.getState().cache.status).toBe("loading");
    expect(chosenFileSet()).toBeUndefined();
  });
});
