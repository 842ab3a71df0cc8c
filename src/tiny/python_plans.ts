// The Python code a demonstration writes for a built-in computation or easy
// question, and what that code prints. The question generators know every
// answer, so the printed text is computed here, in the form Python's print
// writes it (integers in full, floats as repr, a trailing newline). The build
// script checks each of them against the real Python tool before training.
import { MONTHS } from "../tasks/dates";

/** A code block and the text the Python tool returns for it (stdout). */
export type PythonPlan = { code: string; printed: string };

const MONTH_NUMBER = new Map<string, number>(MONTHS.map((m, i) => [m, i + 1]));

/** "14 March 1893" → "1893,3,14" (datetime.date's argument order). */
function dateArgs(text: string): string | undefined {
  const m = /^(\d{1,2}) (\w+) (\d{4})$/.exec(text);
  const month = m ? MONTH_NUMBER.get(m[2]!) : undefined;
  return m && month ? `${Number(m[3])},${month},${Number(m[1])}` : undefined;
}

/** Python's repr of a float that round() gave (shortest round-trip digits; "12.0" for a whole number). */
export function pythonFloatRepr(x: number): string {
  const s = String(x);
  return Number.isInteger(x) && !s.includes("e") ? `${s}.0` : s;
}

/** round(sqrt(n), 4) as Python prints it. */
function roundedSqrt(n: number): string {
  return pythonFloatRepr(Number(Math.sqrt(n).toFixed(4)));
}

type Rule = { pattern: RegExp; plan: (m: RegExpExecArray, gold: string) => PythonPlan | undefined };

const line = (text: string) => `${text}\n`;

/** One rule per question template of compute_questions.ts and easy_questions.ts; the gold answer is what the code prints. */
const RULES: Rule[] = [
  { pattern: /^What is (\d+) multiplied by (\d+)\?$/, plan: (m, gold) => ({ code: `print(${m[1]}*${m[2]})`, printed: line(gold) }) },
  { pattern: /^What is the product of (\d+), (\d+) and (\d+)\?$/, plan: (m, gold) => ({ code: `print(${m[1]}*${m[2]}*${m[3]})`, printed: line(gold) }) },
  { pattern: /^What is the remainder when (\d+)\^(\d+) is divided by (\d+)\?$/, plan: (m, gold) => ({ code: `print(pow(${m[1]},${m[2]},${m[3]}))`, printed: line(gold) }) },
  {
    pattern: /^What is the sum of the squares of the integers from 1 to (\d+)\?$/,
    plan: (m, gold) => ({ code: `print(sum(k*k for k in range(1,${Number(m[1]) + 1})))`, printed: line(gold) }),
  },
  {
    pattern: /^What is the sum of k\^3 for every integer k from (\d+) to (\d+)\?$/,
    plan: (m, gold) => ({ code: `print(sum(k**3 for k in range(${m[1]},${Number(m[2]) + 1})))`, printed: line(gold) }),
  },
  {
    pattern: /^What is the sum of (\d+)\^k for k from 0 to (\d+)\?$/,
    plan: (m, gold) => ({ code: `print(sum(${m[1]}**k for k in range(${Number(m[2]) + 1})))`, printed: line(gold) }),
  },
  {
    pattern: /^What is the sum of all positive multiples of (\d+) that do not exceed (\d+)\?$/,
    plan: (m, gold) => ({ code: `print(sum(range(${m[1]},${Number(m[2]) + 1},${m[1]})))`, printed: line(gold) }),
  },
  {
    pattern: /^How many days are there from (.+) to (.+) in the Gregorian calendar \(counting the later date but not the earlier one\)\?$/,
    plan: (m, gold) => {
      const [from, to] = [dateArgs(m[1]!), dateArgs(m[2]!)];
      return from && to ? { code: `from datetime import date\nprint((date(${to})-date(${from})).days)`, printed: line(gold) } : undefined;
    },
  },
  {
    pattern: /^On which day of the week does (.+) fall in the \(proleptic\) Gregorian calendar\?$/,
    plan: (m, gold) => {
      const d = dateArgs(m[1]!);
      return d ? { code: `from datetime import date\nprint(date(${d}).strftime("%A"))`, printed: line(gold) } : undefined;
    },
  },
  {
    pattern: /^What is the square root of (\d+), rounded to 4 decimal places\?$/,
    plan: (m) => ({ code: `print(round(${m[1]}**0.5,4))`, printed: line(roundedSqrt(Number(m[1]))) }),
  },
  { pattern: /^What is (\d+) \+ (\d+)\?$/, plan: (m, gold) => ({ code: `print(${m[1]}+${m[2]})`, printed: line(gold) }) },
  { pattern: /^What is (\d+) × (\d+)\?$/, plan: (m, gold) => ({ code: `print(${m[1]}*${m[2]})`, printed: line(gold) }) },
  { pattern: /^What is (\d+) - (\d+)\?$/, plan: (m, gold) => ({ code: `print(${m[1]}-${m[2]})`, printed: line(gold) }) },
  { pattern: /^What is the sum of the digits of (\d+)\?$/, plan: (m, gold) => ({ code: `print(sum(map(int,"${m[1]}")))`, printed: line(gold) }) },
  { pattern: /^Spell the word "(\w+)" backwards\.$/, plan: (m, gold) => ({ code: `print("${m[1]}"[::-1])`, printed: line(gold) }) },
  { pattern: /^How many letters are in the word "(\w+)"\?$/, plan: (m, gold) => ({ code: `print(len("${m[1]}"))`, printed: line(gold) }) },
];

/**
 * Plans for a format that binds the question's numbers as `nums` (formats.ts, pythonNums): the code
 * copies no operand, it names the operation; the tiny level's computations are all of this form.
 */
const NUMS_RULES: Rule[] = [
  { pattern: /^What is (\d+) ([*+-]) (\d+)\?$/, plan: (m, gold) => ({ code: `print(nums[0] ${m[2]} nums[1])`, printed: line(gold) }) },
  { pattern: /^Repeat the word (\w+)\.$/, plan: (m, gold) => ({ code: `print("${m[1]}")`, printed: line(gold) }) },
];

/**
 * The code for `question` and its output, or undefined when no template matches (an imported or
 * changed question). With `nums` (the tiny format), the rules that read the bound numbers come first.
 */
export function pythonPlan(question: string, gold: string, opts: { nums?: boolean } = {}): PythonPlan | undefined {
  for (const rule of opts.nums ? [...NUMS_RULES, ...RULES] : RULES) {
    const m = rule.pattern.exec(question);
    if (m) return rule.plan(m, gold);
  }
  return undefined;
}
