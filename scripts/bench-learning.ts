// `npm run bench:learning`: the proof that the whole training chain works. From
// the bundled tiny model, DAPO with both tools (the real `tapo train`, in
// headless Chromium) runs a fixed number of steps; held-out accuracy avg@k (k
// samples per task at temperature 1) must rise by at least minGainPoints while
// tool calls per rollout stay within maxToolCallRatio of the start. Prints
// before/after figures as JSON lines (greedy accuracy beside avg@k, each
// category, and the share of rollouts that call Python on computation
// questions, search on fact questions and nothing on easy ones), writes
// .reports/learning.json for `npm test`'s count, and exits non-zero when the
// bar is not met, or early when dynamic sampling keeps no group for
// maxIdleSteps steps in a row (nothing left to learn from).
// Settings: src/bench/learning_settings.json.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Settings = {
  model: string;
  task: string;
  steps: number;
  seed: number;
  evalTasks: number;
  evalSamples: number;
  evalEvery: number;
  minGainPoints: number;
  maxToolCallRatio: number;
  maxIdleSteps: number;
  dapo: Record<string, unknown>;
};
type Category = { n: number; acc: number; usedSearch: number; usedCode: number; usedNone: number };
type Eval = { event: "eval"; step: number; mode: "greedy" | "sampled"; acc: number; tool_calls: number; response_tokens: number; n: number; samples?: number; byCategory?: Record<string, Category> };
type Step = { event: "step"; step: number; kept_groups: number; seconds: number };

/** Thrown when dynamic sampling kept no group for maxIdleSteps steps in a row. */
class IdleRunError extends Error {}

const settings = JSON.parse(readFileSync("src/bench/learning_settings.json", "utf8")) as Settings;
const emit = (record: Record<string, unknown>) => console.log(JSON.stringify({ event: "bench", ...record }));

const round = (x: unknown) => (typeof x === "number" ? Math.round(x * 1000) / 1000 : x);

/** One short line per record of `tapo train` for the log: the figures that tell how the run goes. */
function progressLine(record: { event: string } & Record<string, unknown>): string {
  const pick = (keys: string[]) => keys.filter((k) => k in record).map((k) => `${k} ${String(round(record[k]))}`).join(", ");
  if (record.event === "step") return `step ${String(record.step)}: ${pick(["acc", "reward", "kept_groups", "tool_calls_code", "tool_calls_search", "response_tokens", "entropy", "seconds"])}`;
  if (record.event === "eval") return `eval at step ${String(record.step)} (${String(record.mode)}): ${pick(["acc", "tool_calls", "n", "samples", "seconds"])}`;
  return JSON.stringify(record).slice(0, 240);
}

/** Runs `tapo train`, echoing its step lines to stderr as progress; resolves with its eval and step records. */
function train(dir: string): Promise<{ evals: Eval[]; steps: Step[] }> {
  const config = join(dir, "dapo.json");
  writeFileSync(config, JSON.stringify(settings.dapo));
  const args = ["bin/tapo.mjs", "train", "--model", settings.model, "--task", settings.task, "--steps", String(settings.steps), "--seed", String(settings.seed)];
  args.push("--eval-n", String(settings.evalTasks), "--eval-samples", String(settings.evalSamples), "--eval-every", String(settings.evalEvery));
  args.push("--config", config, "--out", join(dir, "run"), "--json");
  return new Promise((resolve, reject) => {
    const child = spawn("node", args, { stdio: ["ignore", "pipe", "inherit"] });
    const evals: Eval[] = [];
    const steps: Step[] = [];
    let idle = 0;
    let stopped: Error | undefined;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.trim())) {
        const record = JSON.parse(line) as { event: string };
        if (record.event === "eval") evals.push(record as Eval);
        if (record.event === "step") {
          const step = record as Step;
          steps.push(step);
          idle = step.kept_groups === 0 ? idle + 1 : 0;
          if (idle >= settings.maxIdleSteps && !stopped) {
            stopped = new IdleRunError(`dynamic sampling kept no group in ${idle} steps in a row (to step ${step.step}): every group scored alike, so DAPO had nothing to learn from; the model is too weak or too strong for these tasks`);
            child.kill("SIGTERM");
          }
        }
        if (record.event !== "progress") process.stderr.write(`${progressLine(record)}\n`); // the log keeps steps, not ticks
      }
    });
    child.on("error", reject);
    child.on("close", (code) => (stopped ? reject(stopped) : code === 0 ? resolve({ evals, steps }) : reject(new Error(`tapo train exited with ${code}`))));
  });
}

/** The adaptive-tool-use shares of an evaluation: Python on compute, search on fact questions, nothing on easy ones. */
function shares(e: Eval): Record<string, number | null> {
  const c = e.byCategory ?? {};
  const avg = (keys: string[], pick: (x: Category) => number) => {
    const present = keys.map((k) => c[k]).filter((x): x is Category => x !== undefined && x.n > 0);
    const n = present.reduce((s, x) => s + x.n, 0);
    return n === 0 ? null : present.reduce((s, x) => s + pick(x) * x.n, 0) / n;
  };
  return {
    python_on_compute: avg(["compute"], (x) => x.usedCode),
    search_on_facts: avg(["fact1", "fact2"], (x) => x.usedSearch),
    none_on_easy: avg(["easy"], (x) => x.usedNone),
  };
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "tapo-learning-"));
  const t0 = Date.now();
  try {
    const { evals, steps } = await train(dir);
    const sampled = evals.filter((e) => e.mode === "sampled");
    const greedy = evals.filter((e) => e.mode === "greedy");
    const before = sampled.find((e) => e.step === 0);
    const after = sampled.at(-1);
    if (!before || !after || after === before) throw new Error("tapo train did not report a sampled evaluation before and after training");
    const gain = (after.acc - before.acc) * 100;
    const ratio = before.tool_calls > 0 ? after.tool_calls / before.tool_calls : after.tool_calls === 0 ? 1 : Infinity;
    emit({ name: "learning.accuracy", metric: `avg@${settings.evalSamples}`, before: before.acc, after: after.acc, gain_points: gain, n: after.n, steps: settings.steps });
    emit({ name: "learning.greedy_accuracy", before: greedy[0]?.acc ?? null, after: greedy.at(-1)?.acc ?? null });
    emit({ name: "learning.steps", kept_groups: steps.map((s) => s.kept_groups), seconds: steps.map((s) => Math.round(s.seconds)) });
    emit({ name: "learning.tool_calls", before: before.tool_calls, after: after.tool_calls, ratio });
    emit({ name: "learning.response_tokens", before: before.response_tokens, after: after.response_tokens });
    emit({ name: "learning.adaptive_tool_use", before: shares(before), after: shares(after) });
    for (const [category, b] of Object.entries(before.byCategory ?? {})) emit({ name: `learning.category.${category}`, before: b, after: after.byCategory?.[category] });
    const seconds = (Date.now() - t0) / 1000;
    const passed = gain >= settings.minGainPoints && ratio <= settings.maxToolCallRatio;
    emit({ name: "learning.result", passed, seconds, min_gain_points: settings.minGainPoints, max_tool_call_ratio: settings.maxToolCallRatio });
    mkdirSync(".reports", { recursive: true });
    writeFileSync(".reports/learning.json", JSON.stringify({ passed: passed ? 1 : 0, failed: passed ? 0 : 1, gain, ratio, seconds, before: before.acc, after: after.acc }));
    if (!passed) console.error(`error: accuracy rose ${gain.toFixed(1)} points (need ${settings.minGainPoints}) with tool calls at ${ratio.toFixed(2)}× the start (limit ${settings.maxToolCallRatio}×)`);
    return passed ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    mkdirSync(".reports", { recursive: true });
    writeFileSync(".reports/learning.json", JSON.stringify({ passed: 0, failed: 1, error: String(error) }));
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
