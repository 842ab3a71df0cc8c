// End-to-end: `npx tapo sft` trains a LoRA adapter on demonstration traces with the bundled tiny model — the loss on
// the repeated demonstrations falls, bad lines and traces that cannot be demonstrations are reported, and the PEFT
// adapter it writes is read back by `tapo eval --adapter` and is where `tapo train --adapter` starts (its rank carries
// over, and its targets: an adapter on q and v only stays on q and v through a resume and the export); with --full every parameter is trained and a whole model folder is written, which loads as --model. A file
// with no usable trace fails with one `error:` line. Needs Chromium (WebGPU via SwiftShader).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { tapo } from "./tapo_cli";

test.describe.configure({ timeout: 600_000 });

const records = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });
const root = mkdtempSync(join(tmpdir(), "tapo-sft-"));
const seed = Math.floor(Math.random() * 1000);

/** A demonstration: compute a product with Python, then answer it. */
function demo(a: number, b: number): string {
  return JSON.stringify({
    v: 1,
    model: "tiny",
    question: `What is ${a} times ${b}?`,
    segments: [
      { kind: "think", text: "I will compute it with Python." },
      { kind: "code", text: `print(${a} * ${b})` },
      { kind: "response", tool: "python", text: String(a * b) },
      { kind: "answer", text: String(a * b) },
    ],
    created: "2026-11-23T12:00:00.000Z",
  });
}

/** The projections an adapter's safetensors holds matrices for, e.g. ["q_proj", "v_proj"]. */
function modulesOf(adapterDir: string): string[] {
  const bytes = readFileSync(join(adapterDir, "adapter_model.safetensors"));
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString("utf8")) as Record<string, unknown>;
  const modules = Object.keys(header).filter((k) => k !== "__metadata__").map((k) => /\.(\w+_proj)\.lora_[AB]\.weight$/.exec(k)?.[1] ?? k);
  return [...new Set(modules)].sort();
}

test.afterAll(() => rmSync(root, { recursive: true, force: true }));

test("sft trains an adapter on traces that eval reads and train starts from", async () => {
  const lines = [demo(12 + seed, 7), demo(31, 5 + seed), "{not json", demo(44, 9), JSON.stringify({ ...JSON.parse(demo(3, 3)), segments: [{ kind: "think", text: "no answer" }] })];
  writeFileSync(join(root, "demos.jsonl"), lines.join("\n") + "\n");
  const out = join(root, "sft");
  const sft = await tapo(["sft", "--model", "tiny", "--traces", join(root, "demos.jsonl"), "--out", out, "--steps", "6", "--batch", "3", "--lr", "0.01", "--lora-r", "4", "--lora-alpha", "8", "--lora-targets", "q,v", "--seed", String(seed), "--quant", "none", "--json"]);
  expect(sft.stderr, `seed ${seed}`).not.toMatch(/^error:/m);
  expect(sft.code).toBe(0);
  const r = records(sft.stdout);
  expect(r.find((x) => x.event === "note" && /line 3: not JSON/.test(String(x.message)))).toBeTruthy();
  expect(r.find((x) => x.event === "note" && /trace 4 left out: it has no answer/.test(String(x.message)))).toBeTruthy();
  expect(r.find((x) => x.event === "sft-data")).toMatchObject({ traces: 4, examples: 3, skipped: 1 });
  const losses = r.filter((x) => x.event === "sft").map((x) => x.loss as number);
  expect(losses).toHaveLength(6);
  expect(losses.every(Number.isFinite)).toBe(true);
  // The same three demonstrations every step: the adapter learns them.
  expect(losses.at(-1)!, losses.join(", ")).toBeLessThan(losses[0]! * 0.9);
  expect(r.at(-1)).toMatchObject({ event: "done", adapter: join(out, "adapter") });
  expect(JSON.parse(readFileSync(join(out, "adapter", "adapter_config.json"), "utf8"))).toMatchObject({ peft_type: "LORA", r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj"] });
  expect(modulesOf(join(out, "adapter"))).toEqual(["q_proj", "v_proj"]);

  const evaluated = await tapo(["eval", "--model", "tiny", "--adapter", join(out, "adapter"), "--task", "compute", "--n", "2", "--quant", "none", "--json"]);
  expect(evaluated.stderr).not.toMatch(/^error:/m);
  expect(records(evaluated.stdout).find((x) => x.event === "eval")).toMatchObject({ n: 2 });

  writeFileSync(join(root, "dapo.json"), JSON.stringify({ groupSize: 2, promptsPerBatch: 2, miniBatches: 1, maxResponseTokens: 32, overlongBuffer: 8, maxRegenerationRounds: 1 }));
  const run = join(root, "run");
  const trained = await tapo(["train", "--model", "tiny", "--adapter", join(out, "adapter"), "--task", "compute", "--steps", "1", "--eval-n", "1", "--config", join(root, "dapo.json"), "--quant", "none", "--out", run, "--json"]);
  expect(trained.stderr).not.toMatch(/^error:/m);
  expect(records(trained.stdout).at(-1)).toMatchObject({ event: "done", status: "finished", steps: 1 });
  expect(JSON.parse(readFileSync(join(run, "adapter", "adapter_config.json"), "utf8"))).toMatchObject({ r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj"] });
  expect(modulesOf(join(run, "adapter"))).toEqual(["q_proj", "v_proj"]);

  // The same command with more steps resumes the run: it keeps the starting adapter's r, alpha and targets (q and v
  // only, not the seven a fresh adapter gets) through the checkpoint and into the exported adapter.
  const resumed = await tapo(["train", "--model", "tiny", "--adapter", join(out, "adapter"), "--task", "compute", "--steps", "2", "--eval-n", "1", "--config", join(root, "dapo.json"), "--quant", "none", "--out", run, "--json"]);
  expect(resumed.stderr).not.toMatch(/^error:/m);
  const rr = records(resumed.stdout);
  expect(rr.find((x) => x.event === "resume")).toMatchObject({ step: 1 });
  expect(rr.at(-1)).toMatchObject({ event: "done", status: "finished", steps: 2 });
  expect(JSON.parse(readFileSync(join(run, "adapter", "adapter_config.json"), "utf8"))).toMatchObject({ r: 4, lora_alpha: 8, target_modules: ["q_proj", "v_proj"] });
  expect(modulesOf(join(run, "adapter"))).toEqual(["q_proj", "v_proj"]);
  expect(JSON.parse(readFileSync(join(run, "run.json"), "utf8"))).toMatchObject({ step: 2, request: { lora: { r: 4, alpha: 8, targets: ["q", "v"] } } });

  // Asking for other LoRA settings on top of --adapter is refused before anything loads.
  const clash = await tapo(["train", "--model", "tiny", "--adapter", join(out, "adapter"), "--task", "compute", "--lora-targets", "all", "--json"]);
  expect(clash.code).not.toBe(0);
  expect(clash.stderr.trim()).toMatch(/^error: .*--adapter the run goes on with that adapter's settings/);
});

test("sft --full trains every parameter and writes a model folder that the engine loads", async () => {
  writeFileSync(join(root, "full.jsonl"), [demo(21, 4 + seed), demo(15 + seed, 6)].join("\n") + "\n");
  const out = join(root, "full");
  const sft = await tapo(["sft", "--model", "tiny", "--full", "--traces", join(root, "full.jsonl"), "--out", out, "--steps", "4", "--batch", "2", "--lr", "0.003", "--seed", String(seed), "--json"]);
  expect(sft.stderr, `seed ${seed}`).not.toMatch(/^error:/m);
  const r = records(sft.stdout);
  const losses = r.filter((x) => x.event === "sft").map((x) => x.loss as number);
  expect(losses.at(-1)!, losses.join(", ")).toBeLessThan(losses[0]!);
  expect(r.at(-1)).toMatchObject({ event: "done", model: join(out, "model") });
  // A whole Hugging Face folder: the bundled model's config and tokenizer, new weights; eval loads it as --model.
  expect(readFileSync(join(out, "model", "config.json"), "utf8")).toBe(readFileSync("public/models/tiny/config.json", "utf8"));
  expect(readFileSync(join(out, "model", "model.safetensors")).equals(readFileSync("public/models/tiny/model.safetensors"))).toBe(false);
  const evaluated = await tapo(["eval", "--model", join(out, "model"), "--task", "easy", "--n", "2", "--quant", "none", "--json"]);
  expect(evaluated.stderr).not.toMatch(/^error:/m);
  expect(records(evaluated.stdout).find((x) => x.event === "eval")).toMatchObject({ n: 2 });
});

test("sft refuses a file with no trace that can be a demonstration", async () => {
  writeFileSync(join(root, "bad.jsonl"), `${JSON.stringify({ ...JSON.parse(demo(2, 2)), segments: [{ kind: "code", text: "print(4)" }] })}\n`);
  const r = await tapo(["sft", "--model", "tiny", "--traces", join(root, "bad.jsonl"), "--out", join(root, "bad"), "--steps", "1", "--json"]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error: none of the 1 traces can be a demonstration/m);
  const none = await tapo(["sft", "--model", "tiny", "--traces", join(root, "missing.jsonl"), "--out", join(root, "bad"), "--json"]);
  expect(none.stderr).toMatch(/^error: --traces .*missing\.jsonl does not exist/m);
});
