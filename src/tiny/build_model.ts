// The last stage of the tiny model's build, run inside a page (headless
// Chromium, for WebGPU and the Pyodide Python tool) by
// scripts/build-tiny-model.ts, after the native trainer wrote the weights:
//   1. every sampled Python response of the demonstrations is checked against
//      the real tool (so no demonstration teaches an output Pyodide would not give);
//   2. the folder is loaded through loadModel / loadTokenizer (the path every
//      Qwen2.5 folder takes) and the engine's held-out loss must equal the native
//      trainer's within 1e-4 (the two implementations agree on these weights);
//   3. the test split is rolled out with the real tools, greedy and sampled
//      (avg@k at temperature 1, the learning benchmark's primary metric).
// It returns the figures; the script writes tapo_build.json.
import { GpuGenerator } from "../generate/generator";
import { acquireDevice } from "../gpu/device";
import { bytesSource, fileSet } from "../io/source";
import { loadModel } from "../loader/load_model";
import { loadTokenizer } from "../loader/load_tokenizer";
import { getFormat } from "../rollout/formats";
import { sftLoss } from "../sft/sft_step";
import type { SftExample } from "../sft/sft_weights";
import { builtinTasks } from "../tasks/builtin";
import { TASK_CATEGORIES } from "../protocol/tasks";
import { PythonTool } from "../tools/python/python_tool";
import { PythonToolRunner } from "../tools/python_runner";
import { loadBundledIndex } from "../tools/search/corpus_loader";
import { LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";
import type { BuildSettings } from "./build_settings";
import type { Demonstration } from "./demonstrations";
import { measureRollouts } from "./measure";
import { checkPythonResponses } from "./python_check";

export type { BuildSettings } from "./build_settings";

/** The engine's held-out loss may differ from the native trainer's by this much (nats). */
export const NATIVE_LOSS_TOLERANCE = 1e-4;

export type PageIO = {
  /** Progress records (one JSON line each on the command line). */
  log: (record: Record<string, unknown>) => void;
  /** Reads one file of the build's work folder. */
  readFile: (name: string) => Promise<Uint8Array>;
};

/** Base64 (how the build script hands files to the page) to bytes. */
function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The IO of a page the build script drives: the functions it exposed as window.tapoLog and window.tapoRead. */
export function pageIO(): PageIO {
  const w = globalThis as unknown as { tapoLog: (json: string) => Promise<void>; tapoRead: (name: string) => Promise<string> };
  return { log: (record) => void w.tapoLog(JSON.stringify(record)), readFile: async (name) => fromBase64(await w.tapoRead(name)) };
}

const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The model folder's files, as the build script staged them. */
export const FOLDER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors", "model.safetensors.index.json", "tapo.json"];

/** Checks and measures the staged folder; `nativeHeldOutLoss` is the native trainer's loss on held_out.jsonl. */
export async function verifyTinyBuild(gpu: GPU, io: PageIO, s: BuildSettings, nativeHeldOutLoss: number): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const format = getFormat(s.format);
  const search = new SearchTool(new LocalSearchBackend(await loadBundledIndex()), { topK: s.searchTopK });
  const python = new PythonTool();
  const { device } = await acquireDevice(gpu);
  try {
    // 1. Python responses against the real tool.
    const sample = JSON.parse(text(await io.readFile("python_sample.json"))) as Demonstration[];
    const pythonChecked = await checkPythonResponses(sample, new PythonToolRunner(python), format);
    io.log({ event: "python_checked", calls: pythonChecked, seconds: seconds(t0) });

    // 2. The folder through the loader; the engine's loss against the native trainer's.
    const folder = fileSet("the tiny model", await Promise.all(FOLDER_FILES.map(async (n) => bytesSource(n, await io.readFile(n)))));
    const tokenizer = await loadTokenizer(folder);
    const loaded = await loadModel(device, folder, { quant: "f32", mode: { kind: "frozen" } });
    const heldOut = text(await io.readFile("held_out.jsonl"))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as SftExample);
    const engineLoss = (await sftLoss(loaded.runtime, heldOut, s.sft.batch)).loss;
    const difference = Math.abs(engineLoss - nativeHeldOutLoss);
    io.log({ event: "engine_loss", engine: engineLoss, native: nativeHeldOutLoss, difference, seconds: seconds(t0) });
    if (!(difference <= NATIVE_LOSS_TOLERANCE)) {
      loaded.runtime.destroy();
      throw new Error(`the engine's held-out loss ${engineLoss} differs from the native trainer's ${nativeHeldOutLoss} by ${difference} (> ${NATIVE_LOSS_TOLERANCE}): the two implementations disagree; run the golden SFT test (src/sft/sft_golden.gpu.test.ts)`);
    }

    // 3. Rollouts of the test split with the real tools: greedy, then k samples a task at temperature 1.
    const tasks = builtinTasks({ seed: s.measure.seed, split: s.measure.split as "test", level: s.level as "tiny", counts: s.measure.counts });
    const k = s.measure.samples;
    const generator = GpuGenerator.fromRuntime(loaded.runtime, { maxSequences: Math.min(64, tasks.length * k), maxLength: s.measure.maxContextTokens });
    const tools = new SearchToolRunner(search, new PythonToolRunner(python));
    const settings = { format, maxTurns: s.maxTurns, maxResponseTokens: s.measure.maxResponseTokens, maxContextTokens: s.measure.maxContextTokens };
    const tEval = performance.now();
    const greedy = await measureRollouts({ generator, tokenizer, tools }, tasks, { ...settings, samples: 1, sampling: { temperature: 0, topP: 1, topK: 0, seed: s.measure.seed } });
    const sampled = await measureRollouts({ generator, tokenizer, tools }, tasks, { ...settings, samples: k, sampling: { temperature: 1, topP: 1, topK: 0, seed: s.measure.seed } });
    generator.destroy();
    loaded.runtime.destroy();
    io.log({ event: "measured", greedy_acc: greedy.result.overall.acc, sampled_acc: sampled.result.overall.acc, seconds: seconds(tEval) });
    return {
      python_responses_checked: pythonChecked,
      engine_held_out_loss: engineLoss,
      native_held_out_loss: nativeHeldOutLoss,
      loss_difference: difference,
      measured_after_sft: {
        split: s.measure.split,
        seed: s.measure.seed,
        greedy: greedy.result,
        [`sampled_avg_at_${k}`]: sampled.result,
      },
      // One sampled rollout per category, as the model wrote it (tool responses included), to see what it does.
      samples: TASK_CATEGORIES.map((c) => {
        const i = tasks.findIndex((t) => t.category === c);
        return i < 0 ? undefined : { category: c, question: tasks[i]!.question, gold: tasks[i]!.answers, text: sampled.rollouts[i * k]!.text.slice(0, 600) };
      }).filter((x) => x !== undefined),
      eval_seconds: seconds(tEval),
      adapter: (await gpu.requestAdapter())?.info?.description ?? "unknown",
    };
  } finally {
    python.dispose();
    device.destroy();
  }
}
