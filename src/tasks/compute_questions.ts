// Computation questions that need the Python tool: products of large
// numbers, modular powers, sums of series, day counts between dates,
// weekdays, square roots to four decimals. Answers are computed exactly
// (BigInt for integers, integer square roots for the decimals).

import { daysBetween, daysInMonth, formatDate, weekdayName, type CivilDate } from "./dates.ts";
import type { TaskKind } from "../protocol/tasks.ts";

export type Rand = () => number;

/** A question before it gets an id and a split: the text, its gold answers, how to grade it. */
export type DraftQuestion = { question: string; answers: string[]; kind: TaskKind };

/** Uniform integer in [lo, hi]. */
export function intIn(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** base^exponent mod modulus by square-and-multiply; modulus ≥ 1, exponent ≥ 0. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** floor(sqrt(n)) for n ≥ 0, by Newton's method on integers. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of a negative number (${n})`);
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** sqrt(n) rounded half-up to `places` decimals, exactly, as a decimal string. */
export function sqrtRounded(n: number, places: number): string {
  const scaled = isqrt(BigInt(n) * 10n ** BigInt(2 * (places + 1))); // floor(sqrt(n) · 10^(places+1))
  const rounded = (scaled + 5n) / 10n;
  const text = rounded.toString().padStart(places + 1, "0");
  return `${text.slice(0, -places)}.${text.slice(-places)}`;
}

function product(rand: Rand): DraftQuestion {
  if (rand() < 0.6) {
    const a = intIn(rand, 10_000, 99_999_999);
    const b = intIn(rand, 10_000, 99_999_999);
    return { question: `What is ${a} multiplied by ${b}?`, answers: [(BigInt(a) * BigInt(b)).toString()], kind: "math" };
  }
  const [a, b, c] = [intIn(rand, 100, 99_999), intIn(rand, 100, 99_999), intIn(rand, 100, 99_999)];
  return { question: `What is the product of ${a}, ${b} and ${c}?`, answers: [(BigInt(a) * BigInt(b) * BigInt(c)).toString()], kind: "math" };
}

function modularPower(rand: Rand): DraftQuestion {
  const base = intIn(rand, 2, 999);
  const exponent = intIn(rand, 100, 99_999);
  const modulus = intIn(rand, 101, 9_999);
  const r = modPow(BigInt(base), BigInt(exponent), BigInt(modulus));
  return { question: `What is the remainder when ${base}^${exponent} is divided by ${modulus}?`, answers: [r.toString()], kind: "math" };
}

/** Sums by adding term after term (the tests check them against closed forms). */
function seriesSum(rand: Rand): DraftQuestion {
  const variant = intIn(rand, 0, 3);
  let total = 0n;
  let question: string;
  if (variant === 0) {
    const n = intIn(rand, 100, 5_000);
    for (let k = 1n; k <= BigInt(n); k++) total += k * k;
    question = `What is the sum of the squares of the integers from 1 to ${n}?`;
  } else if (variant === 1) {
    const a = intIn(rand, 10, 500);
    const b = a + intIn(rand, 50, 2_000);
    for (let k = BigInt(a); k <= BigInt(b); k++) total += k * k * k;
    question = `What is the sum of k^3 for every integer k from ${a} to ${b}?`;
  } else if (variant === 2) {
    const r = intIn(rand, 2, 9);
    const n = intIn(rand, 10, 60);
    for (let k = 0n, term = 1n; k <= BigInt(n); k++, term *= BigInt(r)) total += term;
    question = `What is the sum of ${r}^k for k from 0 to ${n}?`;
  } else {
    const m = intIn(rand, 3, 97);
    const limit = intIn(rand, 1_000, 1_000_000);
    for (let k = BigInt(m); k <= BigInt(limit); k += BigInt(m)) total += k;
    question = `What is the sum of all positive multiples of ${m} that do not exceed ${limit}?`;
  }
  return { question, answers: [total.toString()], kind: "math" };
}

function randomDate(rand: Rand, fromYear: number, toYear: number): CivilDate {
  const year = intIn(rand, fromYear, toYear);
  const month = intIn(rand, 1, 12);
  return { year, month, day: intIn(rand, 1, daysInMonth(year, month)) };
}

function daysBetweenDates(rand: Rand): DraftQuestion {
  const a = randomDate(rand, 1600, 2400);
  const b = randomDate(rand, 1600, 2400);
  const [from, to] = daysBetween(a, b) >= 0 ? [a, b] : [b, a];
  const n = daysBetween(from, to);
  return {
    question: `How many days are there from ${formatDate(from)} to ${formatDate(to)} in the Gregorian calendar (counting the later date but not the earlier one)?`,
    answers: [String(n)],
    kind: "math",
  };
}

function weekday(rand: Rand): DraftQuestion {
  const date = randomDate(rand, 1600, 2400);
  return {
    question: `On which day of the week does ${formatDate(date)} fall in the (proleptic) Gregorian calendar?`,
    answers: [weekdayName(date)],
    kind: "qa",
  };
}

function squareRoot(rand: Rand): DraftQuestion {
  let n = intIn(rand, 2, 10_000_000);
  while (isqrt(BigInt(n)) ** 2n === BigInt(n)) n += 1;
  return { question: `What is the square root of ${n}, rounded to 4 decimal places?`, answers: [sqrtRounded(n, 4)], kind: "calc" };
}

/** The computation question makers, by name (each draws its numbers from `rand`). */
export const COMPUTE_MAKERS = { product, modularPower, seriesSum, daysBetweenDates, weekday, squareRoot } as const;

/** One computation question of a kind drawn uniformly from COMPUTE_MAKERS. */
export function computeQuestion(rand: Rand): DraftQuestion {
  const makers = Object.values(COMPUTE_MAKERS);
  return makers[Math.floor(rand() * makers.length)]!(rand);
}
