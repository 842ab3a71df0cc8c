// End to end in Node: `tapo recipe` writes verl and TRL recipes for the built-in tasks and an imported JSONL into a
// temp folder; the files exist and parse (Parquet with hyparquet; YAML, Python and the tools with python3 when
// present; run.sh with bash -n); the command's mistakes exit 1 with one error line. No GPU, no verl or TRL.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { configArg, formatArg, loraArgs, taskSourceArg } from "../cli/node/train_args";
import { engineArg, REWARD_MODULE, runRecipe } from "./recipe_cli";
import { tasksOf } from "../trainer/request_tasks";

const root = mkdtempSync(join(tmpdir(), "tapo-recipe-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const hasYaml = hasPython && spawnSync("python3", ["-c", "import yaml"]).status === 0;
// The reward module is another part of the feature; without it, a placeholder keeps these tests about the recipe.
const rewardModule = existsSync(REWARD_MODULE) ? REWARD_MODULE : join(root, "placeholder_reward.py");
if (!existsSync(REWARD_MODULE)) writeFileSync(rewardModule, "def compute_score(*a, **k):\n    return 0.0\n\ndef make_trl_reward(**k):\n    return lambda *a, **kw: []\n");
const corpusFile = join(process.cwd(), "public/corpus/tapo-world.jsonl");

const jsonl = join(root, "small.jsonl");
writeFileSync(
  jsonl,
  [
    { question: "What is 2 + 2?", answer: "4", kind: "math" },
    { question: "Capital of France?", answers: ["Paris"], kind: "qa" },
    { question: "What is 10 * 3?", answer: "30" },
    { question: "Who wrote Candide?", golden_answers: ["Voltaire"], data_source: "nq" },
    { question: "What is 7 * 6?", answer: "42", kind: "calc" },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n"),
);

type Flags = { to: string; task: string; out: string; format?: string; model?: string; adapter?: string; config?: string };

/** `tapo recipe` in process: the flags read as tapo.ts reads them. */
async function recipe(flags: Flags): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  const emit = (r: Record<string, unknown>) => records.push(r);
  const engine = engineArg(flags.to);
  const source = await taskSourceArg(flags.task, 1, (message) => emit({ event: "note", message }));
  const inputs = { task: flags.task, config: configArg(flags.config), format: formatArg(flags.format), lora: loraArgs({}), model: flags.model, adapter: flags.adapter, out: flags.out };
  runRecipe({ engine, source, ...inputs }, emit, { rewardModule, corpusFile });
  return records;
}

function python(code: string, cwd: string): string {
  const r = spawnSync("python3", ["-c", code], { cwd, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

async function rows(path: string): Promise<Record<string, unknown>[]> {
  return (await parquetReadObjects({ file: new Uint8Array(readFileSync(path)).buffer })) as Record<string, unknown>[];
}

const COMMON = ["train.parquet", "test.parquet", "tapo_reward.py", "tapo_tools.py", "corpus.jsonl", "run.sh", "README.md", "config.yaml"];

describe.each([
  ["verl", "tiny"],
  ["verl", jsonl],
  ["trl", "tiny"],
  ["trl", jsonl],
] as const)("tapo recipe --to %s --task %s", (engine, task) => {
  it("writes a recipe whose files exist and parse", async () => {
    const out = join(root, `${engine}-${task === "tiny" ? "tiny" : "jsonl"}`);
    const records = await recipe({ to: engine, task, out, format: "qwen-native" });
    const done = records.at(-1)!;
    expect(done.event).toBe("recipe");
    const expected = [...COMMON, ...(engine === "verl" ? ["tool_config.yaml"] : ["train_trl.py"])];
    for (const f of expected) expect(existsSync(join(out, f)), f).toBe(true);
    expect((done.files as string[]).map((f) => f.slice(out.length + 1)).sort()).toEqual([...expected].sort());
    const train = await rows(join(out, "train.parquet"));
    const test = await rows(join(out, "test.parquet"));
    expect(train.length).toBe(done.train);
    expect(test.length).toBe(done.test);
    const tiny = tasksOf({ kind: "builtin", seed: 1, level: "tiny" });
    expect([train.length, test.length]).toEqual(task === "tiny" ? [tiny.train.length, tiny.test.length] : [4, 1]);
    const prompt = train[0]!.prompt as { role: string }[];
    expect(prompt.map((m) => m.role)).toEqual(["system", "user"]);
    const config = readFileSync(join(out, "config.yaml"), "utf8");
    expect(config).toMatch(/^# TAPO Studio experiment/);
    expect(config).toMatch(/^# note: /m);
    const run = readFileSync(join(out, "run.sh"), "utf8");
    expect(spawnSync("bash", ["-n", join(out, "run.sh")]).status).toBe(0);
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toContain("| `clipHigh` |");
    if (engine === "verl") {
      expect(run).toContain("python3 -m recipe.dapo.main_dapo");
      expect(run).toContain("actor_rollout_ref.actor.clip_ratio_high=0.28");
      expect(run).toContain("actor_rollout_ref.rollout.multi_turn.tool_config_path=");
      expect(config).toMatch(/^ {4}clip_ratio_high: 0\.28$/m);
      expect(readFileSync(join(out, "tool_config.yaml"), "utf8")).toContain('class_name: "tapo_tools.TapoPythonTool"');
    } else {
      expect(run).toContain("accelerate launch");
      expect(config).toMatch(/^ {2}epsilon_high: 0\.28$/m);
      expect(config).toMatch(/^ {2}loss_type: "dapo"$/m);
    }
    if (hasPython) {
      python("import py_compile; [py_compile.compile(f, doraise=True) for f in ('tapo_tools.py', 'tapo_reward.py')]", out);
      const search = python("import tapo_tools; print(tapo_tools.TapoSearch('corpus.jsonl').search('capital city'))", out);
      expect(search).toMatch(/^Doc 1: \(Title: /);
      expect(python("import tapo_tools; print(tapo_tools.run_python('print(6*7)'), end='')", out)).toBe("42\n");
    }
    if (hasYaml) {
      const parsed = JSON.parse(python("import json, os, yaml; print(json.dumps([yaml.safe_load(open(f)) for f in ('config.yaml', 'tool_config.yaml') if os.path.exists(f)]))", out)) as unknown[];
      const at = (i: number, path: string) => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], parsed[i]);
      if (engine === "verl") {
        expect(at(0, "actor_rollout_ref.actor.clip_ratio_low")).toBe(0.2);
        expect(at(0, "algorithm.filter_groups.enable")).toBe(true);
        expect((at(1, "tools") as { tool_schema: { function: { name: string } } }[]).map((t) => t.tool_schema.function.name)).toEqual(["search", "python"]);
      } else {
        expect(at(0, "grpo.epsilon_high")).toBe(0.28);
        expect(at(0, "grpo.adam_epsilon")).toBe(1e-8);
        expect(at(0, "lora.target_modules")).toContain("q_proj");
        expect(at(0, "reward.default_format")).toBe("qwen-native");
      }
    }
  });
});

describe("tapo recipe options", () => {
  it("starts from a PEFT adapter: copies it and keeps its rank, alpha and targets", async () => {
    const adapter = join(root, "adapter-in");
    mkdirSync(adapter, { recursive: true });
    writeFileSync(join(adapter, "adapter_config.json"), JSON.stringify({ r: 8, lora_alpha: 16, target_modules: ["q_proj", "v_proj"], peft_type: "LORA" }));
    writeFileSync(join(adapter, "adapter_model.safetensors"), "");
    const out = join(root, "verl-adapter");
    await recipe({ to: "verl", task: "tiny", out, adapter, format: "qwen-native" });
    expect(existsSync(join(out, "adapter/adapter_config.json"))).toBe(true);
    const run = readFileSync(join(out, "run.sh"), "utf8");
    expect(run).toContain("actor_rollout_ref.model.lora_rank=8");
    expect(run).toContain("actor_rollout_ref.model.target_modules='[q_proj,v_proj]'");
    expect(run).toContain('actor_rollout_ref.model.lora_adapter_path="$HERE/adapter"');
  });

  it("notes that tag formats get no tool responses on the engines", async () => {
    const records = await recipe({ to: "trl", task: "tiny", out: join(root, "trl-tags") });
    expect(records.some((r) => r.event === "note" && /<tool_call> JSON/.test(String(r.message)))).toBe(true);
  });

  it("refuses the tiny format and the tiny model", async () => {
    await expect(recipe({ to: "verl", task: "tiny", out: join(root, "x"), format: "tiny" })).rejects.toThrow(/real model/);
    await expect(recipe({ to: "verl", task: "tiny", out: join(root, "x"), model: "tiny" })).rejects.toThrow(/hub id/);
  });
});

describe("tapo recipe on the command line", () => {
  const tapo = (...args: string[]) => spawnSync("npx", ["tsx", "src/cli/node/tapo.ts", "recipe", ...args], { encoding: "utf8" });

  it("answers --help with its flags", { timeout: 60_000 }, () => {
    const r = tapo("--help");
    expect(r.status).toBe(0);
    for (const flag of ["--to verl|trl", "--task T", "--out DIR", "--config F", "--format", "--model HUB_ID", "--adapter DIR"]) expect(r.stdout).toContain(flag);
  });

  it("refuses a bad --to and a missing --out with one error line", { timeout: 60_000 }, () => {
    const badTo = tapo("--to", "deepspeed", "--task", "tiny", "--out", join(root, "bad"));
    const noOut = tapo("--to", "verl", "--task", "tiny");
    for (const r of [badTo, noOut]) {
      expect(r.status).toBe(1);
      expect(r.stderr.split("\n").filter((l) => l.startsWith("error:")).length).toBe(1);
    }
    expect(badTo.stderr).toMatch(/^error: --to must be verl or trl/);
    expect(noOut.stderr).toMatch(/^error: tapo recipe needs --out DIR/);
    expect(existsSync(join(root, "bad"))).toBe(false);
  });

  it("writes a recipe with --json: note lines, then the recipe record", { timeout: 60_000 }, () => {
    const out = join(root, "cli-verl");
    const r = tapo("--to", "verl", "--task", jsonl, "--out", out, "--json");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.event === "note")).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: "recipe", engine: "verl", out });
  });
});
