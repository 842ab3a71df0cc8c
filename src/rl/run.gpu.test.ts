// Checks a whole training run on the GPU: the events it streams, checkpoints every step whose cost does not grow with
// the run (each step writes only its own log), evaluation before and after,
// stop in the middle of a step, and that a run resumed from its checkpoint (on a fresh adapter) repeats exactly what
// the uninterrupted run did. Tiny random LoRA model, search tool over a two-document index. Needs WebGPU.
import { describe, expect, it } from "vitest";
import { testDevice } from "../gpu/testing";
import { initLora } from "../model/lora";
import { type LoraSettings } from "../protocol/lora";
import { ModelRuntime } from "../model/runtime";
import { tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import { getFormat } from "../rollout/formats";
import { MemoryDir } from "../storage/dir";
import type { Task } from "../protocol/tasks";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { CHATML_TEMPLATE, tinyByteLevelTokenizerJson } from "../tokenizer/testing";
import { LocalIndex, LocalSearchBackend } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";
import type { RunEvent } from "../protocol/run";
import { freshSeed } from "../util/random";
import { listCheckpoints } from "./checkpoint";
import { readRunLog } from "./run_log";
import { resolveDapoConfig } from "./config";
import { type RunSpec, TrainingRun } from "./run";

const model = tinyConfig({ vocab: 258, maxPositions: 256, tieEmbeddings: false });
const lora: LoraSettings = { r: 4, alpha: 8, targets: ["q", "v", "down"] };
const tokenizer = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" });
const index = LocalIndex.fromDocs([
  { id: "1", title: "Zorblat", text: "Zorblat is a river of length 12." },
  { id: "2", title: "Quenby", text: "Quenby was founded in 1802." },
]);
const tools = new SearchToolRunner(new SearchTool(new LocalSearchBackend(index)));
// TAPO's tags with a one-line system prompt: the full prompt is ~1700 tokens in this byte-level vocabulary.
const format = { ...getFormat("tapo"), system: ["Answer in <answer></answer>; <search>q</search> searches."] };
const task = (id: string, question: string, answer: string): Task => ({ id, question, answers: [answer], kind: "math", data_source: "test" });
const train = [task("a", "2+3?", "5"), task("b", "Zorblat length?", "12"), task("c", "Quenby year?", "1802"), task("d", "7*6?", "42")];
const test = [task("t1", "1+1?", "2"), task("t2", "Zorblat?", "12")];
const config = resolveDapoConfig({ groupSize: 2, promptsPerBatch: 2, miniBatches: 2, maxResponseTokens: 20, overlongBuffer: 6, maxRegenerationRounds: 1, warmupSteps: 1, learningRate: 1e-2, maxTurns: 1, toolResponseTokens: 24 });

/** Records each write's path and size. */
class WriteCountingDir extends MemoryDir {
  readonly writes: { path: string; bytes: number }[] = [];
  override async write(path: string, data: Uint8Array): Promise<void> {
    this.writes.push({ path, bytes: data.length });
    await super.write(path, data);
  }
}

async function runtimeFor(weightsSeed: number, loraSeed: number) {
  const device = await testDevice();
  return ModelRuntime.create(device, randomWeights(model, weightsSeed, "q8_0", 0.2), { mode: { kind: "lora", lora }, lora: initLora(model, lora, loraSeed, 0.05) });
}

function spec(seed: number, steps: number, resume: boolean, evalTasks: number): RunSpec {
  const request = { tasks: { kind: "builtin" as const, seed }, config, steps, seed, evalEvery: 0, evalTasks, checkpointEvery: 1 };
  return { runId: "r", train, test, config, lora, steps, seed, evalEvery: 0, evalTasks, checkpointEvery: 1, resume, request };
}

async function trainRun(seed: number, steps: number, dir: MemoryDir, runtime: ModelRuntime, resume = false, onEvent: (e: RunEvent, run: TrainingRun) => void = () => {}, evalTasks = 2) {
  const events: RunEvent[] = [];
  let run: TrainingRun | undefined = undefined;
  run = new TrainingRun({ runtime, tokenizer, tools, format, modelLabel: "test/tiny", dir, onEvent: (e) => { events.push(e); onEvent(e, run!); } }, spec(seed, steps, resume, evalTasks));
  const status = await run.run();
  const params = await runtime.readParameters();
  run.destroy();
  return { events, status, params, run };
}

describe("TrainingRun", () => {
  it("streams steps, traces, evaluations and checkpoints, and a resumed run repeats the uninterrupted one", async () => {
    const seed = freshSeed();
    const fullDir = new WriteCountingDir();
    const full = await trainRun(seed, 2, fullDir, await runtimeFor(seed, seed + 1));
    const types = full.events.map((e) => (e.type === "phase" || e.type === "rollouts" ? undefined : e.type === "status" ? `status:${e.status}` : e.type)).filter(Boolean);
    expect(types, `seed ${seed}`).toEqual([
      "run-started", "status:running", "eval",
      "step", "traces", "checkpoint",
      "step", "traces", "eval", "checkpoint",
      "status:finished",
    ]);
    expect(full.status).toBe("finished");
    const steps = full.events.flatMap((e) => (e.type === "step" ? [e.metrics] : []));
    expect(steps.map((m) => m.step)).toEqual([1, 2]);
    const traces = full.events.flatMap((e) => (e.type === "traces" ? e.traces : []));
    expect(traces).toHaveLength(2 * 2 * 2);
    expect(new Set(traces.map((t) => t.step))).toEqual(new Set([1, 2]));
    expect(traces.every((t) => t.reward !== undefined && t.gold !== undefined)).toBe(true);
    const evals = full.events.flatMap((e) => (e.type === "eval" ? [e.eval] : []));
    expect(evals.map((e) => [e.step, e.n, e.mode])).toEqual([[0, 2, "greedy"], [2, 2, "greedy"]]);
    expect(full.events.some((e) => e.type === "rollouts" && e.events.some((r) => r.type === "tokens"))).toBe(true);

    // Saving stays flat as the run grows: every file is written once, a step writes only its own log, and the
    // checkpoint of step 2 costs exactly what step 1's did (the traces of step 1 are not written again).
    expect(fullDir.writes.map((w) => w.path).filter((p, i, all) => all.indexOf(p) !== i)).toEqual([]);
    expect(fullDir.writes.filter((w) => w.path.startsWith("log/")).map((w) => w.path)).toEqual(["log/step-000000.json", "log/step-000001.json", "log/step-000002.json"]);
    const checkpointBytes = (step: number) => fullDir.writes.filter((w) => w.path.startsWith(`checkpoints/step-00000${step}/`)).reduce((n, w) => n + w.bytes, 0);
    expect(checkpointBytes(1)).toBeGreaterThan(0);
    expect(checkpointBytes(2)).toBe(checkpointBytes(1));
    const logged = await readRunLog(fullDir, 2);
    expect(logged).toEqual({ metrics: steps, evals, traces, problems: [] });

    // The same run ended after 1 step, then resumed on an adapter initialised differently.
    const dir = new MemoryDir();
    await trainRun(seed, 1, dir, await runtimeFor(seed, seed + 1), false, undefined, 0);
    expect(await listCheckpoints(dir)).toEqual([1]);
    const resumed = await trainRun(seed, 2, dir, await runtimeFor(seed, seed + 99), true, undefined, 0);
    const started = resumed.events.find((e) => e.type === "run-started");
    expect(started?.type === "run-started" && started.startStep).toBe(1);
    // The run says the GPU memory it planned: weights and adapter once, plus the generator's and the update's buffers.
    const memory = started?.type === "run-started" ? started.memory : undefined;
    expect(memory && memory.weights > 0 && memory.trainable > 0 && memory.generation > 0 && memory.update > 0).toBe(true);
    expect(memory!.total).toBe(memory!.weights + memory!.trainable + memory!.generation + memory!.update);
    const last = resumed.events.flatMap((e) => (e.type === "step" ? [e.metrics] : []));
    expect(last.map((m) => m.step)).toEqual([2]);
    const want = steps[1]!;
    for (const k of ["reward", "acc", "tool_calls", "response_tokens", "kept_groups"] as const) expect(last[0]![k], k).toBe(want[k]);
    expect(last[0]!.entropy).toBeCloseTo(want.entropy, 4);
    expect(resumed.run.metrics.map((m) => m.step)).toEqual([1, 2]);
    expect(resumed.run.traces.map((t) => t.step)).toEqual(traces.map((t) => t.step));
    for (const [name, p] of full.params) {
      const q = resumed.params.get(name)!;
      const worst = p.reduce((w, v, i) => Math.max(w, Math.abs(v - q[i]!)), 0);
      expect(worst, name).toBeLessThan(1e-5);
    }
  }, 400_000);

  it("stops in the middle of a step without counting it or saving it", async () => {
    const seed = freshSeed();
    const dir = new MemoryDir();
    const { status, run, events } = await trainRun(seed, 3, dir, await runtimeFor(seed, seed + 1), false, (e, r) => {
      if (e.type === "rollouts" && e.step === 1) r.stop();
    }, 0);
    expect(status, `seed ${seed}`).toBe("stopped");
    expect(run.step).toBe(0);
    expect(await listCheckpoints(dir)).toEqual([]);
    expect(events.filter((e) => e.type === "step")).toHaveLength(0);
    expect(events.at(-1)).toEqual({ type: "status", status: "stopped" });
  });
});
