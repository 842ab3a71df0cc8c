// The whole reward of a rollout (TAPO.md §3), as the Trace's reward field holds
// it: format check, correctness of the extracted answer by task kind, DAPO's
// overlong shaping and the optional tool-efficiency factor; and the same for a
// group of rollouts of one question, where the tool factor needs the group.
//
//   correctness score s ∈ [0, 1] (1 or 0, or token F1 in the partial-credit QA mode)
//   correct     = format passed and s > 0.9   (the `acc` of the logs)
//   correctness = 2s − 1                      (DAPO's ±1)
//   total       = (format ? correctness · (correctness > 0 ? tool : 1) : −1) + overlong
import { extractAnswer } from "./extract";
import { checkFormat, countToolCalls, TAPO_TAGS, type FormatTags } from "./format";
import { CALC_TOLERANCE, mathEqual, numericClose, qaExactMatch, qaSubstringMatch, qaTokenF1, type Tolerance } from "./match";
import { overlongPenalty } from "./overlong";
import { fewestCorrectCalls, toolEfficiency } from "./tool_efficiency";

export type TaskKind = "math" | "qa" | "calc";

/** QA correctness: normalised exact match, whole-word substring (the default), or token F1 (partial credit). */
export type QaMatch = "exact" | "substring" | "f1";

/** The reward of one rollout; the Trace's `reward` field (DESIGN.md). */
export type RewardBreakdown = { total: number; correct: boolean; format: boolean; overlong: number; tool?: number };

export type RewardOptions = {
  /** The format's tags (default TAPO's). */
  tags?: FormatTags;
  /** How QA answers are matched (default "substring"). */
  qaMatch?: QaMatch;
  /** Calculator tolerance (default abs 1e-3, rel 5%). */
  tolerance?: Tolerance;
  /** Overlong shaping: the rollout's policy token count L, the budget L_max and buffer L_cache. */
  overlong?: { policyTokens: number; maxTokens: number; cacheTokens: number };
  /** Tool efficiency: this rollout's tool calls m and the group's fewest correct calls n (see tool_efficiency.ts). */
  toolEfficiency?: { calls: number; fewestCorrectCalls: number | undefined; smoothing?: number };
};

/** Thrown when a rollout is scored with no gold answer. */
export class NoGoldError extends Error {
  constructor() {
    super("cannot score a rollout without gold answers: give the task row at least one non-empty answer");
    this.name = "NoGoldError";
  }
}

/** The correctness score in [0, 1] of `answer` against the best of `gold` for a task of `kind`. */
export function correctnessScore(answer: string, gold: string[], kind: TaskKind, opts: Pick<RewardOptions, "qaMatch" | "tolerance"> = {}): number {
  const golds = gold.filter((g) => g.trim().length > 0);
  if (golds.length === 0) throw new NoGoldError();
  if (kind === "math") return golds.some((g) => mathEqual(answer, g)) ? 1 : 0;
  if (kind === "calc") return golds.some((g) => numericClose(answer, g, opts.tolerance ?? CALC_TOLERANCE)) ? 1 : 0;
  const mode = opts.qaMatch ?? "substring";
  if (mode === "f1") return Math.max(...golds.map((g) => qaTokenF1(answer, g)));
  const match = mode === "exact" ? qaExactMatch : qaSubstringMatch;
  return golds.some((g) => match(answer, g)) ? 1 : 0;
}

/**
 * The reward of one rollout: `responseText` is everything after the prompt (tool output included),
 * `gold` the reference answers. See the header for how the parts combine; `tool` is set only when
 * `opts.toolEfficiency` is given. Throws NoGoldError when `gold` holds no non-empty answer.
 */
export function scoreRollout(responseText: string, gold: string[], kind: TaskKind, opts: RewardOptions = {}): RewardBreakdown {
  if (!gold.some((g) => g.trim().length > 0)) throw new NoGoldError();
  const tags = opts.tags ?? TAPO_TAGS;
  const o = opts.overlong;
  const overlong = o === undefined ? 0 : overlongPenalty(o.policyTokens, o.maxTokens, o.cacheTokens);
  const t = opts.toolEfficiency;
  const tool = t === undefined ? undefined : toolEfficiency(t.calls, t.fewestCorrectCalls, t.smoothing);
  const format = checkFormat(responseText, tags).ok;
  const answer = format ? extractAnswer(responseText, tags.answer) : undefined;
  const score = answer === undefined ? 0 : correctnessScore(answer, gold, kind, opts);
  const correctness = 2 * score - 1;
  const base = !format ? -1 : correctness > 0 ? correctness * (tool ?? 1) : correctness;
  const out: RewardBreakdown = { total: base + overlong, correct: format && score > 0.9, format, overlong };
  if (tool !== undefined) out.tool = tool;
  return out;
}

/** One rollout of a group: its response text and its count of policy tokens (for overlong shaping). */
export type GroupRollout = { text: string; policyTokens?: number };

export type GroupRewardOptions = Omit<RewardOptions, "overlong" | "toolEfficiency"> & {
  overlong?: { maxTokens: number; cacheTokens: number };
  /** Turn on the tool-efficiency factor (tool calls counted in each text). */
  toolEfficiency?: { smoothing?: number };
};

/**
 * The rewards of a group of rollouts of one question, in order. With tool efficiency on, first
 * finds which rollouts are correct and the fewest tool calls among them, then scores each with it.
 */
export function scoreGroup(rollouts: GroupRollout[], gold: string[], kind: TaskKind, opts: GroupRewardOptions = {}): RewardBreakdown[] {
  const tags = opts.tags ?? TAPO_TAGS;
  const single = (r: GroupRollout, toolEfficiency?: RewardOptions["toolEfficiency"]): RewardBreakdown => {
    if (opts.overlong !== undefined && r.policyTokens === undefined) {
      throw new RangeError("overlong shaping is on but a rollout has no policyTokens count: pass the number of sampled tokens");
    }
    const overlong = opts.overlong === undefined ? undefined : { ...opts.overlong, policyTokens: r.policyTokens as number };
    return scoreRollout(r.text, gold, kind, { ...opts, overlong, toolEfficiency });
  };
  const plain = rollouts.map((r) => single(r));
  if (opts.toolEfficiency === undefined) return plain;
  const calls = rollouts.map((r) => countToolCalls(r.text, tags));
  const fewest = fewestCorrectCalls(plain.map((p, i) => ({ correct: p.correct, calls: calls[i] as number })));
  return rollouts.map((r, i) => single(r, { calls: calls[i] as number, fewestCorrectCalls: fewest, smoothing: opts.toolEfficiency?.smoothing }));
}
