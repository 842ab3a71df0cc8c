// Checks the committed tiny model (public/models/tiny/) the way the app loads it — urlModelFileSet over the served folder, loadTokenizer, loadModel onto the GPU — and that the weights are the ones tapo_build.json describes: the held-out demonstrations' policy-token loss recomputed here matches the recorded one and beats a uniform guess, every tag is one token, and greedy decoding runs. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { GpuGenerator } from "../generate/generator";
import { gpuChecked, testDevice } from "../gpu/testing";
import { loadModel } from "../loader/load_model";
import { loadTokenizer } from "../loader/load_tokenizer";
import { getFormat, renderPrompt } from "../rollout/formats";
import { sftLoss } from "../sft/sft_step";
import { bundledWorld } from "../tasks/world/bundled";
import { loadBundledIndex } from "../tools/search/corpus_loader";
import { LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { urlModelFileSet } from "../sources/url";
import { demonstrationStream, HELD_OUT_EXAMPLES, HELD_OUT_SEED_OFFSET, streamExamples } from "./fresh_data";
import { formatTagTokens } from "./tokenizer_builder";

type Record = {
  settings: { seed: number; format: string; maxTurns: number; searchTopK: number; sft: { batch: number }; demonstrations: { perRound: Partial<{ [c: string]: number }> } };
  model: { hidden: number; layers: number; vocab: number };
  sft: { held_out_loss_after: number };
};

describe("the bundled tiny model", () => {
  it("loads like a Qwen2.5 folder and holds the weights its build record describes", async () => {
    const device = await testDevice();
    const files = await urlModelFileSet(new URL("/models/tiny/", location.href).toString());
    const record = (await (await fetch("/models/tiny/tapo_build.json")).json()) as Record;
    const tokenizer = await loadTokenizer(files);
    const { runtime, config } = await gpuChecked(device, () => loadModel(device, files, { quant: "f32", mode: { kind: "frozen" } }));
    expect(config).toMatchObject({ hidden: record.model.hidden, layers: record.model.layers, vocab: record.model.vocab });
    expect(config.vocab).toBeLessThanOrEqual(1024);
    expect(tokenizer.vocabSize).toBeLessThanOrEqual(config.vocab);
    const format = getFormat(record.settings.format);
    for (const tag of formatTagTokens(format)) expect(tokenizer.encode(tag, { addSpecialTokens: false }), tag).toHaveLength(1);

    const search = new SearchTool(new LocalSearchBackend(await loadBundledIndex()), { topK: record.settings.searchTopK });
    // The build's held-out examples: the test split's stream with seed + 1 (native_inputs.ts).
    const { demos } = await demonstrationStream(
      { seed: record.settings.seed + HELD_OUT_SEED_OFFSET, split: "test", format, maxTurns: record.settings.maxTurns, perRound: record.settings.demonstrations.perRound, world: bundledWorld(), search: async (q) => (await search.run(q)).response },
      HELD_OUT_EXAMPLES,
    );
    const examples = streamExamples(demos, tokenizer, format, record.settings.maxTurns);
    const { loss } = await gpuChecked(device, () => sftLoss(runtime, examples, record.settings.sft.batch));
    expect(Math.abs(loss - record.sft.held_out_loss_after), `${loss} vs recorded ${record.sft.held_out_loss_after}`).toBeLessThan(1e-3 * (1 + loss));
    expect(loss).toBeLessThan(0.5 * Math.log(config.vocab));

    const generator = GpuGenerator.fromRuntime(runtime, { maxSequences: 1, maxLength: 256 });
    const handle = await generator.start(renderPrompt(format, "What is 12 + 30?", tokenizer, record.settings.maxTurns).ids);
    for (let i = 0; i < 8; i++) {
      const [t] = await generator.step([handle], { temperature: 0, topP: 1, topK: 0, seed: 1 });
      expect(t!.token).toBeLessThan(config.vocab);
      expect(Number.isFinite(t!.logprob)).toBe(true);
    }
    generator.destroy();
    runtime.destroy();
  }, 300_000);
});
