// Checks that the Python reward module (tapo_reward.py) computes exactly the app's TypeScript reward, on thousands of
// random, often malformed rollouts of every task kind and rollout format, group rewards included. Node + python3, no GPU.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DapoConfig } from "../../protocol/dapo_config";
import type { TaskKind } from "../../protocol/tasks";
import { checkFormat, formatTagsOf } from "../../rewards/format";
import { extractAnswer } from "../../rewards/extract";
import { cleanMath } from "../../rewards/math_value";
import { normalizeQa } from "../../rewards/normalize";
import { numberWordsToDigits } from "../../rewards/number_words";
import { scoreRollout, type QaMatch } from "../../rewards/score";
import { groupRewards } from "../../rl/group_rewards";
import { FORMAT_NAMES, getFormat } from "../../rollout/formats";
import type { Rollout } from "../../rollout/rollout_state";
import type { FormatName } from "../../protocol/format";
import { freshSeed, mulberry32 } from "../../util/random";
import { makeCaseGenerator } from "./parity_cases";

const RUNNER = join(import.meta.dirname, "parity_check.py");
const GROUP_CASES = 1500;
const SINGLE_CASES = 1500;
const NUMERIC_CASES = 1000;

type Outcome = Record<string, unknown>;
type GroupCase = {
  mode: "group";
  format: FormatName;
  kind: TaskKind;
  gold: string[];
  responses: string[];
  policyTokens?: number[];
  toolCalls?: number[];
  toolFactor: boolean;
  maxResponseTokens?: number;
  overlongBuffer?: number;
};
type SingleCase = { mode: "single"; format: FormatName; kind: TaskKind; gold: string[]; response: string; qaMatch: QaMatch; tolerance: [number, number] };
type Case = GroupCase | SingleCase;

/** A thrown error by class name; the Python module raises classes of the same names (NoGoldError, OverlongConfigError). */
function errorOutcome(e: unknown): Outcome {
  return { error: e instanceof Error ? e.name : String(e) };
}

function fakeRollout(text: string, policyTokens: number, calls: number): Rollout {
  return {
    questionIndex: 0, sampleIndex: 0, tokens: [], origins: [], logprobs: [], text, segments: [],
    toolCalls: Array.from({ length: calls }, () => ({ tool: "search" as const, ms: 1 })),
    turns: calls + 1, finish: "answer", promptTokens: 0, policyTokens, forcedTokens: 0,
  };
}

/** The TypeScript side: groupRewards (the trainer's entry) or scoreRollout with the options groupRewards does not set. */
function typescriptOutcome(c: Case): unknown {
  const format = getFormat(c.format);
  try {
    if (c.mode === "group") {
      const config: Pick<DapoConfig, "overlongShaping" | "maxResponseTokens" | "overlongBuffer" | "toolEfficiency"> = {
        overlongShaping: c.maxResponseTokens !== undefined,
        maxResponseTokens: c.maxResponseTokens ?? 0,
        overlongBuffer: c.overlongBuffer ?? 0,
        toolEfficiency: c.toolFactor,
      };
      const group = c.responses.map((text, i) => fakeRollout(text, c.policyTokens?.[i] ?? 0, c.toolCalls?.[i] ?? 0));
      const task = { id: "t", question: "q", answers: c.gold, kind: c.kind, data_source: "parity" };
      const rewards = groupRewards(task, group, config, format);
      // The same totals must come out of the engine adapters (verl batch and per-sample hooks, TRL reward function).
      const totals = rewards.map((r) => r.total);
      return { rewards, verlBatch: totals, trl: totals, verl: c.toolFactor ? null : totals };
    }
    const tags = formatTagsOf(format);
    const reward = scoreRollout(c.response, c.gold, c.kind, { tags, qaMatch: c.qaMatch, tolerance: { abs: c.tolerance[0], rel: c.tolerance[1] } });
    const answer = extractAnswer(c.response, tags.answer) ?? null;
    const parts = {
      format: checkFormat(c.response, tags).ok,
      answer,
      normalizeQa: answer === null ? null : normalizeQa(answer),
      cleanMath: answer === null ? null : cleanMath(answer),
      numberWords: numberWordsToDigits(c.response),
    };
    return { reward, parts };
  } catch (e) {
    return errorOutcome(e);
  }
}

/** Equal as JSON values, numbers within 1e-12 (libm's sin/cos may differ from V8's in the last bit). */
function agree(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= 1e-12;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => agree(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return agree(ka, kb) && ka.every((k) => agree((a as Outcome)[k], (b as Outcome)[k]));
  }
  return a === b;
}

type PythonReply = { formats: Record<string, unknown>; results: unknown[] };

const scratch = mkdtempSync(join(tmpdir(), "tapo-reward-parity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runPython(cases: Case[]): PythonReply {
  const file = join(scratch, `cases-${cases.length}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(cases));
  const r = spawnSync("python3", ["-B", RUNNER, "--check", file], { encoding: "utf8", timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.error !== undefined) throw new Error(`could not run python3 (${r.error.message}): install Python 3.9+ and put python3 on PATH`);
  if (r.status !== 0) throw new Error(`python3 parity_check.py --check exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as PythonReply;
}

function disagreements(seed: number, cases: Case[], reply: PythonReply): string[] {
  const out: string[] = [];
  cases.forEach((c, i) => {
    const ts = typescriptOutcome(c);
    const py = reply.results[i];
    if (!agree(ts, py)) out.push(`case ${i}: ${JSON.stringify(c)}\n  typescript: ${JSON.stringify(ts)}\n  python:     ${JSON.stringify(py)}`);
  });
  return out.length === 0 ? [] : [`seed ${seed} (replay with TAPO_TEST_SEED=${seed}): ${out.length} of ${cases.length} cases disagree`, ...out.slice(0, 8)];
}

describe("tapo_reward.py", () => {
  const seed = freshSeed();
  const generate = makeCaseGenerator(mulberry32(seed));
  const cases: Case[] = [
    ...Array.from({ length: GROUP_CASES }, () => generate.group() as GroupCase),
    ...Array.from({ length: SINGLE_CASES }, () => generate.single() as SingleCase),
    ...Array.from({ length: NUMERIC_CASES }, () => generate.numeric() as SingleCase),
  ];
  const reply = runPython(cases);

  it("holds the same tags as every rollout format preset", () => {
    const ts = Object.fromEntries(FORMAT_NAMES.map((name) => [name, formatTagsOf(getFormat(name))]));
    expect(reply.formats).toEqual(ts);
  });

  it(`gives the TypeScript reward on ${GROUP_CASES} random groups, ${SINGLE_CASES} single rollouts and ${NUMERIC_CASES} numeric answers (seed ${seed})`, () => {
    expect(reply.results).toHaveLength(cases.length);
    const bad = disagreements(seed, cases, reply);
    expect(bad.join("\n"), bad[0]).toBe("");
  });

  it(`exercises both sides of every rule (seed ${seed})`, () => {
    // A generator that made only well-formed, only wrong or only short rollouts would make the parity above vacuous.
    type Reward = { format: boolean; correct: boolean; total: number; overlong: number; tool?: number };
    const scored = cases.flatMap((c): { kind: TaskKind; r: Reward }[] => {
      const o = typescriptOutcome(c);
      if (o !== null && typeof o === "object" && "rewards" in o) return (o as { rewards: Reward[] }).rewards.map((r) => ({ kind: c.kind, r }));
      return o !== null && typeof o === "object" && "reward" in o ? [{ kind: c.kind, r: (o as { reward: Reward }).reward }] : [];
    });
    const count = (f: (s: { kind: TaskKind; r: Reward }) => boolean) => scored.filter(f).length;
    for (const kind of ["math", "qa", "calc"] as const) {
      expect(count((s) => s.kind === kind && s.r.correct), `correct ${kind} rollouts`).toBeGreaterThan(50);
      expect(count((s) => s.kind === kind && s.r.format && !s.r.correct), `well-formed wrong ${kind} rollouts`).toBeGreaterThan(50);
      expect(count((s) => s.kind === kind && !s.r.format), `malformed ${kind} rollouts`).toBeGreaterThan(50);
    }
    expect(count((s) => s.r.overlong < 0 && s.r.overlong > -1), "rollouts inside the overlong buffer").toBeGreaterThan(50);
    expect(count((s) => s.r.overlong === -1), "rollouts past the budget").toBeGreaterThan(50);
    expect(count((s) => s.r.tool !== undefined && s.r.tool < 1 && s.r.correct), "correct rollouts cut by the tool factor").toBeGreaterThan(20);
    expect(count((s) => s.r.total !== Math.round(s.r.total)), "fractional totals").toBeGreaterThan(50);
    const errors = cases.map((c) => typescriptOutcome(c)).filter((o) => o !== null && typeof o === "object" && "error" in o);
    expect(new Set(errors.map((o) => (o as { error: string }).error))).toEqual(new Set(["NoGoldError", "OverlongConfigError"]));
  });
});
