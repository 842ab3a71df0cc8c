// Checks the computation and easy questions (Node, no GPU): every answer recomputed by an independent method (BigInt powers, closed forms, JavaScript's Date, Math.sqrt) from the question's own text.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random.ts";
import { COMPUTE_MAKERS, computeQuestion, isqrt, modPow, type DraftQuestion } from "./compute_questions.ts";
import { dayNumber, daysBetween, isLeapYear, weekdayName } from "./dates.ts";
import { easyQuestion } from "./easy_questions.ts";

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Milliseconds since 1970 of a "14 March 1893" date, by JavaScript's Date (proleptic Gregorian). */
function utcOf(text: string): number {
  const [d, m, y] = text.split(" ");
  const date = new Date(0);
  date.setUTCFullYear(Number(y), MONTH_NAMES.indexOf(m!.toLowerCase()), Number(d));
  return date.getTime();
}

const big = (s: string) => BigInt(s);

/** Recomputes a computation question's answer from its text alone; throws for an unknown phrasing. */
function independentAnswer(q: DraftQuestion): string {
  let m: RegExpMatchArray | null;
  if ((m = q.question.match(/^What is (\d+) multiplied by (\d+)\?$/))) {
    const [a, b] = [big(m[1]!), big(m[2]!)];
    const answer = big(q.answers[0]!);
    // Check by division rather than by multiplying again.
    expect(answer % a, q.question).toBe(0n);
    return String(answer / a === b ? answer : -1n);
  }
  if ((m = q.question.match(/^What is the product of (\d+), (\d+) and (\d+)\?$/))) {
    return String([m[1], m[2], m[3]].map((x) => Number(x)).reduce((p, x) => p * BigInt(x), 1n));
  }
  if ((m = q.question.match(/^What is the remainder when (\d+)\^(\d+) is divided by (\d+)\?$/))) {
    return String(big(m[1]!) ** big(m[2]!) % big(m[3]!));
  }
  if ((m = q.question.match(/^What is the sum of the squares of the integers from 1 to (\d+)\?$/))) {
    const n = big(m[1]!);
    return String((n * (n + 1n) * (2n * n + 1n)) / 6n);
  }
  if ((m = q.question.match(/^What is the sum of k\^3 for every integer k from (\d+) to (\d+)\?$/))) {
    const cubes = (n: bigint) => ((n * (n + 1n)) / 2n) ** 2n;
    return String(cubes(big(m[2]!)) - cubes(big(m[1]!) - 1n));
  }
  if ((m = q.question.match(/^What is the sum of (\d+)\^k for k from 0 to (\d+)\?$/))) {
    const [r, n] = [big(m[1]!), big(m[2]!)];
    return String((r ** (n + 1n) - 1n) / (r - 1n));
  }
  if ((m = q.question.match(/^What is the sum of all positive multiples of (\d+) that do not exceed (\d+)\?$/))) {
    const [k, limit] = [big(m[1]!), big(m[2]!)];
    const count = limit / k;
    return String((k * count * (count + 1n)) / 2n);
  }
  if ((m = q.question.match(/^How many days are there from (\d+ \w+ \d+) to (\d+ \w+ \d+) in the Gregorian/))) {
    return String(Math.round((utcOf(m[2]!) - utcOf(m[1]!)) / 86_400_000));
  }
  if ((m = q.question.match(/^On which day of the week does (\d+ \w+ \d+) fall/))) {
    return WEEKDAY_NAMES[new Date(utcOf(m[1]!)).getUTCDay()]!;
  }
  if ((m = q.question.match(/^What is the square root of (\d+), rounded to 4 decimal places\?$/))) {
    const root = Math.sqrt(Number(m[1]));
    const answer = Number(q.answers[0]);
    expect(q.answers[0], q.question).toMatch(/^\d+\.\d{4}$/);
    expect(Math.abs(answer - root), q.question).toBeLessThanOrEqual(0.00005 + 1e-9);
    return q.answers[0]!;
  }
  throw new Error(`no independent check for: ${q.question}`);
}

describe("computation questions", () => {
  it("each maker's answer matches an independent computation", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (const [name, make] of Object.entries(COMPUTE_MAKERS)) {
      for (let i = 0; i < 40; i++) {
        const q = make(rand);
        expect(q.answers, `seed ${seed}: ${name}`).toHaveLength(1);
        expect(independentAnswer(q), `seed ${seed}: ${q.question}`).toBe(q.answers[0]);
      }
    }
  });

  it("computeQuestion draws every kind of computation", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const firstWords = new Set(Array.from({ length: 300 }, () => computeQuestion(rand).question.split(" ").slice(0, 5).join(" ")));
    expect(firstWords.size, `seed ${seed}`).toBeGreaterThanOrEqual(7);
  });

  it("modPow agrees with BigInt power for edge cases and random inputs", () => {
    expect(modPow(7n, 0n, 13n)).toBe(1n);
    expect(modPow(7n, 5n, 1n)).toBe(0n);
    expect(modPow(-3n, 3n, 5n)).toBe(((-27n % 5n) + 5n) % 5n);
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 200; i++) {
      const [b, e, m] = [BigInt(Math.floor(rand() * 1e6)), BigInt(Math.floor(rand() * 3000)), BigInt(1 + Math.floor(rand() * 1e9))];
      expect(modPow(b, e, m), `seed ${seed}: ${b}^${e} mod ${m}`).toBe(b ** e % m);
    }
  });

  it("isqrt is the floor of the square root", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 300; i++) {
      const n = BigInt(Math.floor(rand() * 2 ** 50)) * BigInt(Math.floor(rand() * 2 ** 40));
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n, `seed ${seed}: isqrt(${n}) = ${r}`).toBe(true);
    }
    expect(() => isqrt(-1n)).toThrow(RangeError);
  });
});

describe("dates", () => {
  it("dayNumber and weekdayName agree with JavaScript's Date on random dates", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 2000; i++) {
      const ms = (rand() * 2 - 1) * 1.3e13; // about 1558–2381
      const d = new Date(Math.floor(ms / 86_400_000) * 86_400_000);
      const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      expect(dayNumber(date), `seed ${seed}: ${d.toISOString()}`).toBe(d.getTime() / 86_400_000);
      expect(weekdayName(date), `seed ${seed}: ${d.toISOString()}`).toBe(WEEKDAY_NAMES[d.getUTCDay()]);
    }
  });

  it("counts leap days by the Gregorian rules", () => {
    expect([1600, 2000, 2024, 1900, 2100, 2023].map(isLeapYear)).toEqual([true, true, true, false, false, false]);
    expect(daysBetween({ year: 1900, month: 2, day: 28 }, { year: 1900, month: 3, day: 1 })).toBe(1);
    expect(daysBetween({ year: 2000, month: 2, day: 28 }, { year: 2000, month: 3, day: 1 })).toBe(2);
  });
});

describe("easy questions", () => {
  it("have answers that follow from the question text", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 300; i++) {
      const q = easyQuestion(rand);
      const [answer] = q.answers;
      let m: RegExpMatchArray | null;
      if ((m = q.question.match(/^What is (\d+) ([+×-]) (\d+)\?$/))) {
        const [a, b] = [Number(m[1]), Number(m[3])];
        expect(Number(answer), `seed ${seed}: ${q.question}`).toBe(m[2] === "+" ? a + b : m[2] === "-" ? a - b : a * b);
      } else if ((m = q.question.match(/^What is the sum of the digits of (\d+)\?$/))) {
        expect(Number(answer), `seed ${seed}: ${q.question}`).toBe(m[1]!.split("").map(Number).reduce((s, d) => s + d, 0));
      } else if ((m = q.question.match(/^Spell the word "(\w+)" backwards\.$/))) {
        expect(answer!.split("").reverse().join(""), `seed ${seed}: ${q.question}`).toBe(m[1]);
        expect(answer).not.toBe(m[1]);
      } else if ((m = q.question.match(/^How many letters are in the word "(\w+)"\?$/))) {
        expect(Number(answer), `seed ${seed}: ${q.question}`).toBe(m[1]!.length);
      } else {
        throw new Error(`unexpected easy question: ${q.question}`);
      }
    }
  });
});
