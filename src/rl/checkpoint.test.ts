// Checks checkpoints round-trip, that the adapter inside is a PEFT adapter the loader accepts, and that
// half-written or damaged checkpoints are passed over for the previous whole one, and that checkpoints from before the
// per-step log still give their history (Node, no GPU).
import { describe, expect, it } from "vitest";
import { fileSet, bytesSource } from "../io/source";
import { initLora, peftName } from "../model/lora";
import { type LoraSettings } from "../protocol/lora";
import { loadPeftAdapter } from "../model/peft";
import { tinyConfig } from "../model/testing";
import type { TrainableState } from "../model/trainable_state";
import { linearShape } from "../model/weights";
import { fromUtf8, MemoryDir, utf8 } from "../storage/dir";
import { freshSeed, mulberry32, uniformArray } from "../util/random";
import type { RunHistory } from "../protocol/run";
import type { Trace } from "../protocol/trace";
import { fnv1a } from "../util/fnv1a";
import { type Checkpoint, listCheckpoints, loadLatestCheckpoint, saveCheckpoint } from "./checkpoint";
import { historyAt, readRunLog, writeRunLog } from "./run_log";
import { resolveDapoConfig } from "./config";

const model = tinyConfig();
const lora: LoraSettings = { r: 2, alpha: 4, targets: ["q", "down"] };

function randomCheckpoint(step: number, seed: number): Checkpoint {
  const rand = mulberry32(seed);
  const trainable: TrainableState = new Map();
  const shapes = new Map<string, number[]>();
  for (let l = 0; l < model.layers; l++) {
    for (const t of lora.targets) {
      const [N, K] = linearShape(model, t);
      for (const [which, shape] of [["A", [lora.r, K]], ["B", [N, lora.r]]] as const) {
        const n = shape[0] * shape[1];
        trainable.set(peftName(l, t, which), { param: uniformArray(rand, n), m: uniformArray(rand, n), v: uniformArray(rand, n, 0, 1) });
        shapes.set(peftName(l, t, which), [...shape]);
      }
    }
  }
  return {
    state: { v: 1, runId: "run-1", model: "test/tiny", step, optimizerSteps: step * 2, seed, config: resolveDapoConfig({ groupSize: 2, promptsPerBatch: 2, miniBatches: 2 }), lora, saved: new Date().toISOString() },
    trainable,
    shapes,
  };
}

/** What a run had logged by `step`, as checkpoints from before the per-step log held it. */
function randomHistory(step: number, seed: number): RunHistory {
  const rand = mulberry32(seed);
  return {
    metrics: Array.from({ length: step }, (_, i) => ({ step: i + 1, reward: rand(), acc: rand() }) as never),
    evals: [{ step: 0, mode: "greedy", n: 4, acc: 0.25, reward: -0.5, tool_calls: 1, tool_calls_search: 1, tool_calls_code: 0, response_tokens: 10, seconds: 1 }],
    traces: Array.from({ length: step }, (_, i) => ({ v: 1, model: "test/tiny", question: `q${rand()} <b>ü</b>`, step: i + 1, segments: [{ kind: "answer", text: "42" }], created: new Date(0).toISOString() }) as Trace),
  };
}

/** Adds a legacy checkpoint's history files to the checkpoint of `step`, listed in its manifest. */
async function addLegacyHistory(dir: MemoryDir, step: number, history: RunHistory): Promise<void> {
  const folder = `checkpoints/step-${String(step).padStart(6, "0")}`;
  const manifest = JSON.parse(fromUtf8((await dir.read(`${folder}/manifest.json`))!)) as { files: Record<string, { bytes: number; fnv1a: string }> };
  for (const [name, rows] of [["metrics.jsonl", history.metrics], ["evals.jsonl", history.evals], ["traces.jsonl", history.traces]] as const) {
    const bytes = utf8(rows.map((r) => JSON.stringify(r) + "\n").join(""));
    await dir.write(`${folder}/${name}`, bytes);
    manifest.files[name] = { bytes: bytes.length, fnv1a: fnv1a(bytes) };
  }
  await dir.write(`${folder}/manifest.json`, utf8(JSON.stringify(manifest)));
}

describe("checkpoints", () => {
  it("round-trip every tensor, moment and setting exactly, and hold no history of their own", async () => {
    const seed = freshSeed();
    const dir = new MemoryDir();
    const ckpt = randomCheckpoint(3, seed);
    await saveCheckpoint(dir, ckpt);
    const { checkpoint, skipped } = await loadLatestCheckpoint(dir);
    expect(skipped).toEqual([]);
    expect(checkpoint?.state, `seed ${seed}`).toEqual(ckpt.state);
    expect(checkpoint?.legacyHistory).toBeUndefined();
    expect([...checkpoint!.trainable.keys()].sort()).toEqual([...ckpt.trainable.keys()].sort());
    for (const [name, s] of ckpt.trainable) {
      const got = checkpoint!.trainable.get(name)!;
      expect(got.param).toEqual(s.param);
      expect(got.m).toEqual(s.m);
      expect(got.v).toEqual(s.v);
      expect(checkpoint!.shapes.get(name)).toEqual(ckpt.shapes.get(name));
    }
  });

  it("stores an adapter that the PEFT loader reads back with the same matrices", async () => {
    const dir = new MemoryDir();
    const ckpt = randomCheckpoint(1, freshSeed());
    await saveCheckpoint(dir, ckpt);
    const files = ["adapter_config.json", "adapter_model.safetensors"].map(async (n) => bytesSource(n, (await dir.read(`checkpoints/step-000001/adapter/${n}`))!));
    const adapter = await loadPeftAdapter(fileSet("adapter", await Promise.all(files)), model);
    expect(adapter.config).toEqual(lora);
    expect(adapter.layers[1]!.down!.B).toEqual(ckpt.trainable.get(peftName(1, "down", "B"))!.param);
    // Sanity: a fresh initLora differs, so the comparison above is not vacuous.
    expect(initLora(model, lora, 1).layers[1]!.down!.A).not.toEqual(ckpt.trainable.get(peftName(1, "down", "A"))!.param);
  });

  it("keeps the newest two whole checkpoints", async () => {
    const dir = new MemoryDir();
    for (const step of [1, 2, 3, 4]) await saveCheckpoint(dir, randomCheckpoint(step, step));
    expect(await listCheckpoints(dir)).toEqual([3, 4]);
  });

  it("passes over a checkpoint without a manifest or with a truncated file, saying why", async () => {
    const dir = new MemoryDir();
    await saveCheckpoint(dir, randomCheckpoint(1, 11));
    await saveCheckpoint(dir, randomCheckpoint(2, 12));
    // Step 3 was being written when the tab closed: files but no manifest.
    await dir.write("checkpoints/step-000003/state.json", new Uint8Array([123]));
    let loaded = await loadLatestCheckpoint(dir);
    expect(loaded.checkpoint?.state.step).toBe(2);
    expect(loaded.skipped[0]).toMatch(/step 3 has no manifest/);
    // Step 2's optimizer file loses its tail: back to step 1.
    const opt = (await dir.read("checkpoints/step-000002/optimizer.safetensors"))!;
    await dir.write("checkpoints/step-000002/optimizer.safetensors", opt.slice(0, opt.length - 8));
    loaded = await loadLatestCheckpoint(dir);
    expect(loaded.checkpoint?.state.step).toBe(1);
    expect(loaded.skipped[1]).toMatch(/step 2 has a damaged optimizer\.safetensors/);
    // Same size, one byte flipped: the hash catches it.
    const state = (await dir.read("checkpoints/step-000001/state.json"))!;
    state[5] = state[5]! ^ 1;
    await dir.write("checkpoints/step-000001/state.json", state);
    loaded = await loadLatestCheckpoint(dir);
    expect(loaded.checkpoint).toBeUndefined();
    expect(loaded.skipped).toHaveLength(3);
  });

  it("reads a checkpoint from before the per-step log with its history, which historyAt returns and writeRunLog moves to step files", async () => {
    const seed = freshSeed();
    const dir = new MemoryDir();
    await saveCheckpoint(dir, randomCheckpoint(3, seed));
    const history = randomHistory(3, seed);
    await addLegacyHistory(dir, 3, history);
    const { checkpoint } = await loadLatestCheckpoint(dir);
    expect(checkpoint?.legacyHistory, `seed ${seed}`).toEqual(history);
    expect(await historyAt(dir, checkpoint)).toEqual({ ...history, problems: [] });
    // The new layout has no step files yet; once written from the legacy history they give it back whole.
    expect((await readRunLog(dir, 3)).problems).toHaveLength(3);
    await writeRunLog(dir, history, 3);
    expect(await readRunLog(dir, 3)).toEqual({ ...history, problems: [] });
  });
});
