// The whole build of the bundled tiny model, run inside a page (headless
// Chromium, for WebGPU and the Pyodide Python tool) by
// scripts/build-tiny-model.ts: demonstrations of the built-in train split →
// tokenizer → random Qwen2 weights → SFT on the project's GPU runtime → the
// Hugging Face folder → reloaded through loadModel / loadTokenizer (the path
// every Qwen2.5 folder takes) → greedy rollouts of the test split with the
// real tools → tapo_build.json with every setting and figure.
// Deterministic given build_settings.json: seeded data, seeded batches, and
// kernels without atomics; only the timings vary from run to run.
import { GpuGenerator } from "../generate/generator";
import { acquireDevice } from "../gpu/device";
import { bytesSource, fileSet } from "../io/source";
import { loadModel } from "../loader/load_model";
import { loadTokenizer } from "../loader/load_tokenizer";
import { type Qwen2Config, parameterCount, validateConfig } from "../model/config";
import { AdamWOptimizer } from "../model/optimizer";
import { ModelRuntime } from "../model/runtime";
import { randomWeights } from "../model/weights";
import { getFormat } from "../rollout/formats";
import { learningRate } from "../rl/schedule";
import { stepBatches } from "../sft/batches";
import { sftLoss, sftStep } from "../sft/sft_step";
import { builtinTasks } from "../tasks/builtin";
import { TASK_CATEGORIES } from "../tasks/types";
import { bundledWorld } from "../tasks/world/bundled";
import { PythonTool } from "../tools/python/python_tool";
import { PythonToolRunner } from "../tools/python_runner";
import { loadBundledIndex } from "../tools/search/corpus_loader";
import { LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";
import { buildTinyData, demoStats, heldOutDemonstrations } from "./build_data";
import { type BuildSettings, mergeSettings, settingsJson } from "./build_settings";
import { demonstrationExample } from "./demonstrations";
import { measureGreedy } from "./measure";
import { tinyHints, tinyModelFiles } from "./model_files";
import { checkPythonResponses } from "./python_check";
import { urlModelFileSet } from "../sources/url";
import type { TinyTokenizerFiles } from "./tokenizer_builder";

export type { BuildSettings } from "./build_settings";
export type BuildIO = {
  /** Progress records (one JSON line each on the command line). */
  log: (record: Record<string, unknown>) => void;
  /** Writes one file of the model folder. */
  writeFile: (name: string, bytes: Uint8Array) => Promise<void>;
};

/** Bytes as base64 (how the page hands files to the build script). */
function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The IO of a page the build script drives: the functions it exposed as window.tapoLog and window.tapoWrite. */
export function pageIO(): BuildIO {
  const w = globalThis as unknown as { tapoLog: (json: string) => Promise<void>; tapoWrite: (name: string, base64: string) => Promise<void> };
  return { log: (record) => void w.tapoLog(JSON.stringify(record)), writeFile: (name, bytes) => w.tapoWrite(name, toBase64(bytes)) };
}

const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

/** The Qwen2 shape of the settings. */
export function tinyModelConfig(s: BuildSettings, vocab: number): Qwen2Config {
  const m = s.model;
  const config: Qwen2Config = {
    hidden: m.hidden,
    intermediate: m.intermediate,
    layers: m.layers,
    heads: m.heads,
    kvHeads: m.kvHeads,
    headDim: m.headDim,
    vocab,
    rmsEps: m.rmsEps,
    ropeTheta: m.ropeTheta,
    tieEmbeddings: m.tieEmbeddings,
    maxPositions: m.maxPositions,
  };
  validateConfig(config);
  return config;
}

/** An earlier build to continue from: its folder's tokenizer, its build record, and its weights loaded for full training. */
type Init = { from: string; tokenizer: TinyTokenizerFiles; previous: Record<string, unknown>; runtime: ModelRuntime };

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  const text = res.ok ? await res.text() : "";
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`init.from: ${url} is not a JSON file (HTTP ${res.status}); init.from names a folder the build wrote before, e.g. models/tiny`);
  }
}

/** Loads the model folder at `from` (a path the build's page serves, e.g. "models/tiny") to train on from its weights. */
async function loadInit(device: GPUDevice, from: string, expected: Qwen2Config): Promise<Init> {
  const base = new URL(from.endsWith("/") ? from : `${from}/`, new URL("/", location.href)).toString();
  const previous = await fetchJson(`${base}tapo_build.json`);
  const tok = previous.tokenizer as { merges: number; ids_used: number } | undefined;
  if (!tok) throw new Error(`init.from: ${base}tapo_build.json has no tokenizer record: continue only from a folder npm run build:tiny-model wrote`);
  const tokenizer = { tokenizerJson: await fetchJson(`${base}tokenizer.json`), tokenizerConfig: await fetchJson(`${base}tokenizer_config.json`), merges: tok.merges, idsUsed: tok.ids_used };
  const loaded = await loadModel(device, await urlModelFileSet(base), { quant: "f32", mode: { kind: "full" } });
  const mismatch = (Object.keys(expected) as (keyof Qwen2Config)[]).find((k) => loaded.config[k] !== expected[k]);
  if (mismatch) {
    loaded.runtime.destroy();
    throw new Error(`init.from: the model at ${base} has ${mismatch} = ${String(loaded.config[mismatch])} but the settings say ${String(expected[mismatch])}: make model.* match it, or start from random weights (init.from "")`);
  }
  return { from, tokenizer, previous, runtime: loaded.runtime };
}

/** What a build record keeps of the build it continued from. */
function lineage(init: Init | undefined): Record<string, unknown> | string {
  if (!init) return "random weights";
  const p = init.previous as { settings?: unknown; init?: unknown; sft?: Record<string, unknown>; measured_after_sft?: { overall?: unknown } };
  const sft = p.sft ?? {};
  return {
    from: init.from,
    previous: { settings: p.settings, init: p.init ?? "random weights", sft: { steps: sft.steps, held_out_loss_after: sft.held_out_loss_after }, measured_after_sft: p.measured_after_sft?.overall },
  };
}

/** Runs the build; `overrides` (quick trials) are merged into build_settings.json. Resolves with the tapo_build.json object. */
export async function buildTinyModel(gpu: GPU, io: BuildIO, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const s = mergeSettings(settingsJson, overrides);
  const t0 = performance.now();
  const format = getFormat(s.format);
  const world = bundledWorld();
  const search = new SearchTool(new LocalSearchBackend(await loadBundledIndex()), { topK: s.searchTopK });
  const searchText = async (q: string) => (await search.run(q)).response;
  const python = new PythonTool();
  const { device } = await acquireDevice(gpu);
  const config = tinyModelConfig(s, s.tokenizer.vocabSize);
  try {
    const init = s.init.from ? await loadInit(device, s.init.from, config) : undefined;
    // 1. Demonstrations, checked against the real Python tool, and the tokenizer learned from them.
    const data = await buildTinyData({ seed: s.seed, format, maxTurns: s.maxTurns, split: s.demonstrations.split as "train", counts: s.demonstrations.counts, vocabSize: s.tokenizer.vocabSize, world, search: searchText, responseWeights: s.sft.responseWeights, ...(init ? { tokenizerFiles: init.tokenizer } : {}) });
    const pythonChecked = await checkPythonResponses(data.demos, new PythonToolRunner(python), format);
    const tokens = data.examples.reduce((n, e) => n + e.tokens.length, 0);
    const policy = data.examples.reduce((n, e) => n + e.origins.filter((o) => o === "policy").length, 0);
    io.log({ event: "data", demos: data.demos.length, skipped: data.skipped.length, python_checked: pythonChecked, tokens, policy_tokens: policy, merges: data.files.merges, seconds: seconds(t0) });
    // Held-out demonstrations (test split, another seed) for the loss before and after.
    const heldOut = (await heldOutDemonstrations({ seed: s.seed, format, maxTurns: s.maxTurns, world, search: searchText })).map((d) =>
      demonstrationExample(d, data.tokenizer, format, s.maxTurns),
    );

    // 2. Random weights (or the earlier build's), SFT on every parameter.
    const runtime = init?.runtime ?? ModelRuntime.create(device, randomWeights(config, s.seed, "f32", s.model.initScale), { mode: { kind: "full" } });
    const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
    const heldOutBefore = (await sftLoss(runtime, heldOut, s.sft.batch)).loss;
    const batches = stepBatches(data.examples.map((e) => e.tokens.length), s.sft.batch, s.sft.steps, s.seed);
    const curve: { step: number; loss: number; lr: number; tokens: number; seconds: number }[] = [];
    const tTrain = performance.now();
    for (const [step, idx] of batches.entries()) {
      const lr = learningRate(step, { peak: s.sft.lr, warmupSteps: s.sft.warmupSteps, kind: "cosine", totalSteps: s.sft.steps, minRatio: s.sft.minLrRatio });
      const batch = idx.map((i) => data.examples[i]!);
      const tStep = performance.now();
      const r = await sftStep(runtime, optimizer, batch, { lr, beta1: s.sft.beta1, beta2: s.sft.beta2, eps: s.sft.eps, weightDecay: s.sft.weightDecay, maxNorm: s.sft.gradClip });
      const point = { step, loss: Math.round(r.loss * 1e4) / 1e4, lr, tokens: batch.reduce((n, e) => n + e.tokens.length, 0), seconds: seconds(tStep) };
      curve.push(point);
      io.log({ event: "sft", ...point });
    }
    const trainSeconds = seconds(tTrain);
    const heldOutAfter = (await sftLoss(runtime, heldOut, s.sft.batch)).loss;

    // 3. The folder, reloaded through the loader every Qwen2.5 folder goes through.
    const params = await runtime.readParameters();
    const files = tinyModelFiles(config, data.files, params, s.dtype as "F32" | "F16", tinyHints(s));
    optimizer.destroy();
    runtime.destroy();
    const folder = fileSet("the tiny model", [...files].map(([name, bytes]) => bytesSource(name, bytes)));
    const tokenizer = await loadTokenizer(folder);
    const loaded = await loadModel(device, folder, { quant: "f32", mode: { kind: "frozen" } });
    const reloadedLoss = (await sftLoss(loaded.runtime, heldOut, s.sft.batch)).loss;
    io.log({ event: "saved", held_out_loss_before: heldOutBefore, held_out_loss_after: heldOutAfter, reloaded_loss: reloadedLoss, train_seconds: trainSeconds });

    // 4. Greedy rollouts of the test split with the real tools.
    const tasks = builtinTasks({ seed: s.measure.seed, split: s.measure.split as "test", counts: s.measure.counts, world });
    const generator = GpuGenerator.fromRuntime(loaded.runtime, { maxSequences: tasks.length, maxLength: s.measure.maxContextTokens });
    const tEval = performance.now();
    const tools = new SearchToolRunner(search, new PythonToolRunner(python));
    const { result, rollouts } = await measureGreedy({ generator, tokenizer, tools }, tasks, { format, maxTurns: s.maxTurns, maxResponseTokens: s.measure.maxResponseTokens, maxContextTokens: s.measure.maxContextTokens, seed: s.measure.seed });
    generator.destroy();
    loaded.runtime.destroy();
    const evalSeconds = seconds(tEval);
    io.log({ event: "measured", acc: result.overall.acc, seconds: evalSeconds });

    const last = curve.slice(-10);
    const record = {
      built_by: "npm run build:tiny-model (scripts/build-tiny-model.ts, src/tiny/build_model.ts)",
      settings: s,
      init: lineage(init),
      model: { ...config, parameters: parameterCount(config) },
      tokenizer: { vocab_size: s.tokenizer.vocabSize, ids_used: data.files.idsUsed, merges: data.files.merges },
      demonstrations: { ...demoStats(data.demos, data.skipped), tokens, policy_tokens: policy, python_responses_checked: pythonChecked },
      sft: {
        steps: curve.length,
        first_loss: curve[0]?.loss,
        final_loss: last.reduce((a, p) => a + p.loss, 0) / Math.max(1, last.length),
        held_out_loss_before: heldOutBefore,
        held_out_loss_after: heldOutAfter,
        reloaded_held_out_loss: reloadedLoss,
        curve: curve.map((p) => [p.step, p.loss]),
      },
      measured_after_sft: { split: s.measure.split, seed: s.measure.seed, sampling: "greedy", ...result },
      // One greedy rollout per category, as the model wrote it (tool responses included), to see what it does.
      samples: TASK_CATEGORIES.map((c) => {
        const i = tasks.findIndex((t) => t.category === c);
        return i < 0 ? undefined : { category: c, question: tasks[i]!.question, gold: tasks[i]!.answers, text: rollouts[i]!.text.slice(0, 600) };
      }).filter((x) => x !== undefined),
      timing: { total_seconds: seconds(t0), train_seconds: trainSeconds, eval_seconds: evalSeconds, adapter: (await gpu.requestAdapter())?.info?.description ?? "unknown" },
    };
    for (const [name, bytes] of files) await io.writeFile(name, bytes);
    await io.writeFile("tapo_build.json", new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
    return record;
  } finally {
    python.dispose();
    device.destroy();
  }
}
