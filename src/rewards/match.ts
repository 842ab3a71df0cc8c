// Correctness checks of one predicted answer against one gold answer: math
// equivalence (exact values, then cleaned strings), numeric closeness for
// calculator tasks, and the QA checks (normalised exact match, token-bounded
// substring, SQuAD token F1).
//
// Percentages, decided here: "x%" reads both as x and as x/100, so "50%" equals
// a gold of 50, of 0.5 and of 1/2 (a question asking "what percent" often keeps
// the gold as 50, and one asking for a share keeps it as 0.5). The price is that
// "0.5%" also equals a gold of 0.5; both sides written with % compare as written.
import { cleanMath, mathValue, type MathValue } from "./math_value";
import { normalizeQa } from "./normalize";
import { divide, equals, rational, toNumber, type Rational } from "./rational";

function readings(v: MathValue): Rational[] {
  if (!v.percent) return [v.value];
  return [v.value, divide(v.value, rational(100n)) as Rational];
}

/**
 * True when `pred` and `gold` are the same math answer: both read as exact numbers (integers,
 * decimals, fractions, \frac, signs, percent as above) with equal values, or else equal as cleaned
 * strings (cleanMath: LaTeX noise, $, spaces and case ignored).
 */
export function mathEqual(pred: string, gold: string): boolean {
  const p = cleanMath(pred);
  const g = cleanMath(gold);
  const pv = mathValue(p);
  const gv = mathValue(g);
  if (pv !== undefined && gv !== undefined) {
    if (pv.percent && gv.percent) return equals(pv.value, gv.value);
    return readings(pv).some((a) => readings(gv).some((b) => equals(a, b)));
  }
  return p.length > 0 && p === g;
}

/** Numeric tolerance of calculator tasks (TAPO.md §3): |pred − gold| ≤ abs, or ≤ rel · |gold|. */
export type Tolerance = { abs: number; rel: number };
export const CALC_TOLERANCE: Tolerance = { abs: 1e-3, rel: 0.05 };

/**
 * True when `pred` is within `tol` of `gold` as numbers (either percent reading, as in mathEqual);
 * when either side is not a number, falls back to mathEqual.
 */
export function numericClose(pred: string, gold: string, tol: Tolerance = CALC_TOLERANCE): boolean {
  const pv = mathValue(cleanMath(pred));
  const gv = mathValue(cleanMath(gold));
  if (pv === undefined || gv === undefined) return mathEqual(pred, gold);
  const pairs: [Rational, Rational][] =
    pv.percent && gv.percent ? [[pv.value, gv.value]] : readings(pv).flatMap((a) => readings(gv).map((b): [Rational, Rational] => [a, b]));
  return pairs.some(([a, b]) => {
    const [x, y] = [toNumber(a), toNumber(b)];
    const diff = Math.abs(x - y);
    return diff <= tol.abs || diff <= tol.rel * Math.abs(y);
  });
}

/** True when the QA forms (normalizeQa) of `pred` and `gold` are equal and not empty. */
export function qaExactMatch(pred: string, gold: string): boolean {
  const g = normalizeQa(gold);
  return g.length > 0 && normalizeQa(pred) === g;
}

/**
 * True when the QA form of `gold` appears in that of `pred` as whole words ("eiffel tower" in
 * "it is eiffel tower in paris", but "12" not in "120"). Search-R1's substring match is plain
 * `gold in pred`; whole words keep a short gold from matching inside another number or word.
 */
export function qaSubstringMatch(pred: string, gold: string): boolean {
  const g = normalizeQa(gold);
  return g.length > 0 && ` ${normalizeQa(pred)} `.includes(` ${g} `);
}

/**
 * SQuAD token F1 of the QA forms, in [0, 1]: with c the tokens the two share (counted with
 * multiplicity), precision c/|pred|, recall c/|gold|, F1 their harmonic mean; 0 when either is empty.
 */
export function qaTokenF1(pred: string, gold: string): number {
  const p = normalizeQa(pred).split(" ").filter((w) => w.length > 0);
  const g = normalizeQa(gold).split(" ").filter((w) => w.length > 0);
  if (p.length === 0 || g.length === 0) return 0;
  const left = new Map<string, number>();
  for (const w of g) left.set(w, (left.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of p) {
    const n = left.get(w) ?? 0;
    if (n > 0) {
      common++;
      left.set(w, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / g.length;
  return (2 * precision * recall) / (precision + recall);
}
