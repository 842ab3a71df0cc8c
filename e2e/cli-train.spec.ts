// End-to-end: `npx tapo train` on a tiny random Qwen2 folder written by the test runs real DAPO steps in headless
// Chromium with both tools, writes checkpoints and the --out files, and a second run resumes from the last whole
// checkpoint (passing over a half-written one); `tapo eval` reads the adapter back, and on the bundled tiny model
// asks the task level and searches with the one hit a query its tapo.json asks for; bad settings fail fast with one `error:` line. Needs Chromium (WebGPU via SwiftShader).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { tapo } from "./tapo_cli";
import { hfFolderBytes } from "../src/loader/hf_testing";
import { tinyConfig } from "../src/model/testing";
import { randomWeights } from "../src/model/weights";
import { CHATML_TEMPLATE, tinyByteLevelTokenizerJson } from "../src/tokenizer/testing";

test.describe.configure({ timeout: 600_000 });


const records = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });
const seed = Math.floor(Math.random() * 2 ** 31);
const root = mkdtempSync(join(tmpdir(), "tapo-train-"));
const modelDir = join(root, "model");

const settings = { groupSize: 2, promptsPerBatch: 2, miniBatches: 1, maxResponseTokens: 24, overlongBuffer: 8, maxTurns: 2, toolResponseTokens: 32, maxRegenerationRounds: 1, learningRate: 1e-3, warmupSteps: 1 };

function writeFiles() {
  const config = tinyConfig({ vocab: 258, maxPositions: 512, tieEmbeddings: false });
  mkdirSync(modelDir, { recursive: true });
  for (const [name, bytes] of hfFolderBytes(randomWeights(config, seed, "f32", 0.2))) writeFileSync(join(modelDir, name), bytes);
  writeFileSync(join(modelDir, "tokenizer.json"), JSON.stringify(tinyByteLevelTokenizerJson()));
  writeFileSync(join(modelDir, "tokenizer_config.json"), JSON.stringify({ chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" }));
  writeFileSync(join(root, "config.json"), JSON.stringify(settings));
  // TAPO's tags with a one-line system prompt: the preset's is ~1700 tokens in this byte-level vocabulary.
  writeFileSync(join(root, "format.json"), JSON.stringify({ system: ["Think in <think></think>; <search>q</search> searches; <code>c</code> runs Python; answer in <answer></answer>."] }));
  const rows = [["2+3?", "5"], ["7*6?", "42"], ["9-4?", "5"], ["Zorblat?", "12"], ["1+1?", "2"], ["3*3?", "9"], ["8/2?", "4"], ["5+5?", "10"]];
  writeFileSync(join(root, "tasks.jsonl"), rows.map(([q, a]) => JSON.stringify({ question: q, answer: a })).join("\n") + '\n{"prompt":"a row without an answer"}\n');
}

const common = () => ["--model", modelDir, "--task", join(root, "tasks.jsonl"), "--config", join(root, "config.json"), "--format", join(root, "format.json"), "--quant", "q8_0", "--seed", String(seed % 1000), "--json"];

test.beforeAll(writeFiles);
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test("train runs DAPO steps, checkpoints, writes --out, and resumes from the last whole checkpoint", async () => {
  const out = join(root, "run");
  const first = await tapo(["train", ...common(), "--steps", "2", "--eval-n", "1", "--out", out]);
  expect(first.stderr, `seed ${seed}`).not.toMatch(/^error:/m);
  expect(first.code).toBe(0);
  const a = records(first.stdout);
  expect(a[0]).toMatchObject({ event: "note", message: expect.stringMatching(/imported 8 of 9 rows.*skipped 1 \(row 9: no gold answer/) });
  expect(a.filter((r) => r.event === "step").map((r) => r.step)).toEqual([1, 2]);
  expect(a.filter((r) => r.event === "checkpoint").map((r) => r.step)).toEqual([1, 2]);
  expect(a.filter((r) => r.event === "eval").map((r) => r.step)).toEqual([0, 2]);
  // Progress while a step generates (2 prompts × G = 2 rollouts), ending with the phase's last count.
  const generating = a.filter((r) => r.event === "progress" && r.phase === "generate" && r.step === 1);
  expect(generating.at(-1)).toMatchObject({ done: 4, total: 4 });
  for (const s of a.filter((r) => r.event === "step")) {
    for (const k of ["reward", "acc", "tool_calls", "response_tokens", "entropy", "clip_frac", "kept_groups", "seconds"]) expect(Number.isFinite(s[k]), k).toBe(true);
    expect(s.response_tokens as number).toBeLessThanOrEqual(24);
  }
  expect(a.at(-1)).toEqual({ event: "done", out, status: "finished", steps: 2, quant: "q8_0" });
  // --out: a PEFT adapter, one Trace a line (2 steps × 2 prompts × G = 2), one metrics line a step.
  const adapterConfig = JSON.parse(readFileSync(join(out, "adapter", "adapter_config.json"), "utf8")) as { peft_type: string; r: number };
  expect(adapterConfig).toMatchObject({ peft_type: "LORA", r: 16 });
  const traces = readFileSync(join(out, "traces.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { v: number; step: number; segments: unknown[]; reward: { total: number } });
  expect(traces).toHaveLength(8);
  expect(traces.every((t) => t.v === 1 && t.segments.length > 0 && Number.isFinite(t.reward.total))).toBe(true);
  expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  // log/: one file a step as it ends (step 0: the evaluation before training), holding that step's traces only.
  expect(readdirSync(join(out, "log"))).toEqual(["step-000000.json", "step-000001.json", "step-000002.json"]);
  const stepTwo = JSON.parse(readFileSync(join(out, "log", "step-000002.json"), "utf8")) as { step: number; traces: { step: number }[]; evals: { step: number }[] };
  expect(stepTwo.traces.map((t) => t.step)).toEqual([2, 2, 2, 2]);
  expect(stepTwo.evals.map((e) => e.step)).toEqual([2]);

  // Step 2's checkpoint lost its manifest (the process died while writing it): the rerun resumes from step 1.
  rmSync(join(out, "checkpoints", "step-000002", "manifest.json"));
  const second = await tapo(["train", ...common(), "--steps", "3", "--eval-n", "1", "--out", out]);
  expect(second.code, second.stderr).toBe(0);
  const b = records(second.stdout);
  expect(b.find((r) => r.event === "note" && /passed over a checkpoint: the checkpoint of step 2 has no manifest/.test(String(r.message)))).toBeTruthy();
  expect(b.find((r) => r.event === "resume")).toMatchObject({ step: 1 });
  expect(b.filter((r) => r.event === "step").map((r) => r.step)).toEqual([2, 3]);
  expect(b.at(-1)).toMatchObject({ event: "done", status: "finished", steps: 3 });
  expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
  expect(existsSync(join(out, "checkpoints", "step-000003", "manifest.json"))).toBe(true);
  // The extended step count is saved with the request, so a later resume keeps it.
  expect(JSON.parse(readFileSync(join(out, "run.json"), "utf8"))).toMatchObject({ steps: 3, request: { steps: 3 } });

  // Resuming on a model with other weights (same shapes) is refused, naming both; flags the saved run overrides are listed.
  const other = join(root, "other-model");
  mkdirSync(other, { recursive: true });
  for (const name of readdirSync(modelDir)) writeFileSync(join(other, name), readFileSync(join(modelDir, name)));
  const config = tinyConfig({ vocab: 258, maxPositions: 512, tieEmbeddings: false });
  for (const [name, bytes] of hfFolderBytes(randomWeights(config, seed + 1, "f32", 0.2))) writeFileSync(join(other, name), bytes);
  const mixed = await tapo(["train", ...common().map((a) => (a === modelDir ? other : a)), "--steps", "4", "--eval-n", "1", "--eval-every", "2", "--out", out]);
  expect(mixed.code).not.toBe(0);
  expect(records(mixed.stdout).find((r) => r.event === "note" && /these flags differ from them and are ignored: evalEvery \(given 2, saved 0\)/.test(String(r.message)))).toBeTruthy();
  expect(mixed.stderr.trim()).toBe(`error: the run was trained on ${modelDir} (q8_0); ${other} has other weights: resume with the model and quantization the run was trained on, or start a new run`);

  // eval reads the trained adapter back.
  const ev = await tapo(["eval", ...common(), "--adapter", join(out, "adapter"), "--n", "2", "--out", join(root, "eval")]);
  expect(ev.code, ev.stderr).toBe(0);
  const e = records(ev.stdout).find((r) => r.event === "eval");
  expect(e).toMatchObject({ event: "eval", n: 1, mode: "greedy", quant: "q8_0" }); // 8 tasks hold out 1 for testing
  expect(records(ev.stdout).filter((r) => r.event === "progress").at(-1)).toMatchObject({ phase: "eval", done: 1, total: 1 });
  expect(records(ev.stdout).filter((r) => r.event === "note").map((r) => r.message)).toContain("--n 2 asks for more tasks than the held-out split has (1): evaluating all 1");
  expect(readFileSync(join(root, "eval", "traces.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);
});

test("eval on the bundled tiny model takes its task level and the search hits per query its tapo.json names (one, as its demonstrations)", async () => {
  const out = join(root, "tiny-eval");
  const ev = await tapo(["eval", "--model", "tiny", "--task", "builtin", "--n", "16", "--seed", String(seed % 1000), "--out", out, "--json"]);
  expect(ev.code, ev.stderr).toBe(0);
  // The bundled model loads in f32 by default, as in the app.
  expect(records(ev.stdout).find((r) => r.event === "eval")).toMatchObject({ quant: "f32" });
  // --task builtin asks the tiny level's questions, as tapo.json says, and the note says how to ask for the full level.
  expect(records(ev.stdout).filter((r) => r.event === "note").map((r) => r.message)).toContain("built-in tasks at the tiny level, as the model's tapo.json asks; --task full gives the full level");
  type Segment = { kind: string; tool?: string; text: string };
  const traces = readFileSync(join(out, "traces.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { question: string; segments: Segment[] });
  // (The expected questions come from tsx: Playwright's loader cannot import the task tables' JSON.)
  const script = `import { builtinTasks } from "./src/tasks/builtin.ts"; console.log(JSON.stringify(builtinTasks({ seed: ${seed % 1000}, split: "test", level: "tiny" }).slice(0, 16).map((t) => t.question)));`;
  const tinyLevel = JSON.parse(execFileSync("npx", ["tsx", "--eval", script], { encoding: "utf8" })) as string[];
  expect(traces.map((t) => t.question)).toEqual(tinyLevel);
  const responses = traces.flatMap((t) => t.segments.filter((s) => s.kind === "response" && s.tool === "search").map((s) => s.text));
  expect(responses.length, "the tiny model searches its fact questions").toBeGreaterThan(0);
  for (const r of responses) {
    expect(r).toMatch(/^Doc 1: /);
    expect(r).not.toContain("Doc 2:");
  }
});

test("bad settings fail before training with one error line that says what to change", async () => {
  const cases: [Record<string, unknown> | string, RegExp][] = [
    [{ learningRate: -1e-5 }, /learningRate is -0\.00001 but must be > 0/],
    [{ groupSize: 1 }, /groupSize is 1 but must be a whole number ≥ 2/],
    [{ lerningRate: 1e-5 }, /lerningRate is not a setting/],
    ["{not json", /is not valid JSON/],
  ];
  for (const [config, message] of cases) {
    const file = join(root, "bad-config.json");
    writeFileSync(file, typeof config === "string" ? config : JSON.stringify({ ...settings, ...config }));
    const r = await tapo(["train", "--model", modelDir, "--task", "builtin", "--config", file, "--json"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  }
  // A prompt longer than the model's 512 positions.
  const long = join(root, "long-format.json");
  writeFileSync(long, JSON.stringify({ system: ["x ".repeat(400)] }));
  const r = await tapo(["train", ...common(), "--format", long, "--steps", "1", "--eval-n", "0"]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error: the prompt of .* takes \d+ tokens but the model holds 512 in all/);
  const none = await tapo(["train", "--model", modelDir, "--task", join(root, "missing.jsonl"), "--json"]);
  expect(none.stderr).toMatch(/^error: --task .*missing\.jsonl" is neither builtin/);
});
