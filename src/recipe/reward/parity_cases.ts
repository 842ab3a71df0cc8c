// Random reward cases for the Python parity test: gold answers shaped like the built-in tasks' (products, counts with
// thousands separators, years, square roots, weekdays, names, reversed words) and imported rows' (fractions, percents,
// LaTeX), predictions derived from them (exact, reformatted, number words, junk around numbers, unicode, near misses),
// and rollout texts in every format preset, well-formed or broken (unclosed, misordered, nested, stray, several or no
// answers, text outside blocks, odd whitespace), with policy-token counts around the overlong budget and tool-call counts.
import type { FormatName } from "../../protocol/format";
import type { TaskKind } from "../../protocol/tasks";
import type { QaMatch } from "../../rewards/score";

type Rand = () => number;

const FORMATS: FormatName[] = ["tapo", "tapo", "tapo", "search-r1", "qwen-native", "tiny"];
const KINDS: TaskKind[] = ["math", "qa", "calc"];
const QA_MATCHES: QaMatch[] = ["substring", "substring", "exact", "f1"];
const NAMES = ["Antonio Vivaldi", "Voltaire", "Eiffel Tower", "United States", "New Amsterdam", "the Blue River", "U.S. Navy", "Zürich", "São Paulo", "Ōsaka", "Ἀθῆναι", "ΣΟΦΟΣ", "İstanbul", "Straße", "北京", "Jean-Luc Picard", "AT&T", "Rock 'n' Roll"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const WORDS = ["river", "lantern", "marble", "a", "an", "the", "and", "hundred", "thousand", "million", "one", "zero", "teen", "tenth", "eleventh", "ninety", "twenty-one", "A", "AND"];
const UNICODE = ["\u00a0", "\u2009", "\u202f", "\ufeff", "\u0085", "\u001c", "\u180e", "\u200b", "\u2028", "\u3000", "\u2212", "\uff14", "\u0663", "\u00b0", "\u00bd", "\u2153", "\u00b2", "\u2014", "\u00ab", "\u00bb", "\u20ac", "\u00a3", "\ud83d\ude00", "\ud83c\udf89", "\u00e9", "\u0301", "\u0130", "\u03a3", "\u1e9e", "\u017f", "\u212a", "\ufffd", "\u0000", "\u0001"];
const SPACES = ["", " ", "\n", "\n\n", "\t", " \n ", "\u00a0", "\ufeff", "\u0085", "\u2028", "\u3000", "\u001c"];

const UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

export function makeCaseGenerator(rand: Rand) {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const chance = (p: number) => rand() < p;

  /** English words for 0 ≤ n < 10^12, with random hyphens, "and", "a" and capitals. */
  function words(n: number): string {
    const below100 = (k: number) => (k < 20 ? (UNITS[k] as string) : `${TENS[Math.floor(k / 10)]}${k % 10 === 0 ? "" : `${pick(["-", " ", " - "])}${UNITS[k % 10]}`}`);
    const below1000 = (k: number) => {
      const h = Math.floor(k / 100);
      const rest = k % 100;
      const head = h === 0 ? "" : `${h === 1 && chance(0.3) ? "a" : UNITS[h]} hundred`;
      if (rest === 0) return head;
      return head === "" ? below100(rest) : `${head}${chance(0.4) ? " and" : ""} ${below100(rest)}`;
    };
    if (n === 0) return "zero";
    const parts: string[] = [];
    for (const [scale, name] of [[1e9, "billion"], [1e6, "million"], [1e3, "thousand"]] as const) {
      const k = Math.floor(n / scale) % 1000;
      if (k > 0) parts.push(`${k === 1 && chance(0.3) ? "a" : below1000(k)} ${name}`);
    }
    if (n % 1000 > 0) parts.push(below1000(n % 1000));
    const text = parts.join(chance(0.2) ? " and " : " ");
    return chance(0.2) ? text.toUpperCase() : chance(0.2) ? text.replace(/^./, (c) => c.toUpperCase()) : text;
  }

  const grouped = (n: number | bigint, sep = ",") => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);

  /** A gold answer list and kind, shaped like a built-in or imported task's. */
  function task(): { kind: TaskKind; gold: string[]; value?: number } {
    switch (int(0, 11)) {
      case 0: {
        const v = BigInt(int(100, 99999)) * BigInt(int(100, 99999));
        return { kind: "math", gold: [v.toString()], value: Number(v) };
      }
      case 1: {
        const v = int(1000, 40_000_000);
        return { kind: "math", gold: [grouped(v), String(v)], value: v };
      }
      case 2: {
        const v = int(0, 300);
        return { kind: "math", gold: [String(v)], value: v };
      }
      case 3: {
        const v = Math.sqrt(int(2, 10_000_000));
        return { kind: "calc", gold: [v.toFixed(4)], value: v };
      }
      case 4:
        return { kind: "qa", gold: [pick(WEEKDAYS)] };
      case 5:
        return { kind: "qa", gold: chance(0.2) ? [pick(NAMES), pick(NAMES)] : [pick(NAMES)] };
      case 6:
        return { kind: "qa", gold: [[...pick(["lantern", "marble", "river", "otto"])].reverse().join("")] };
      case 7: {
        const v = int(1, 3_000_000);
        return { kind: "qa", gold: [chance(0.5) ? grouped(v) : String(v)], value: v };
      }
      case 8: {
        const [a, b] = [int(1, 12), int(2, 16)];
        return { kind: pick(KINDS), gold: [pick([`\\frac{${a}}{${b}}`, `${a}/${b}`, String(a / b), `\\dfrac${a % 10}${b % 10}`])], value: a / b };
      }
      case 9: {
        const v = int(1, 99);
        return { kind: pick(KINDS), gold: [pick([`${v}%`, String(v), String(v / 100), `${v}\\%`])], value: v };
      }
      case 10:
        return { kind: pick(KINDS), gold: [pick(["x = 3", "-7", "$5", "3.14", "1e3", "2.50", "\\sqrt{2}", "\\pi", "(1, 2)", "[0, 1)", "x^2+1", "\\text{yes}"])] };
      default:
        return { kind: pick(KINDS), gold: pick([[""], [" "], ["", "42"], ["\u00a0"], ["\ufeff"], ["\u0085"], ["42", ""], ["   Paris  "]]) };
    }
  }

  /** A predicted answer text derived from the gold (often right in another form, often slightly wrong). */
  function prediction(gold: string[], value?: number): string {
    const g = pick(gold.filter((x) => x.trim().length > 0).concat(["?"]));
    const v = value ?? 0;
    const isInt = value !== undefined && Number.isInteger(value) && value >= 0 && value < 1e12;
    const forms: (() => string)[] = [
      () => g,
      () => `${pick(SPACES)}${g}${pick(SPACES)}`,
      () => g.toUpperCase(),
      () => g.toLowerCase(),
      () => `${g}.`,
      () => `${g}..`,
      () => `$${g}$`,
      () => `$ ${g}`,
      () => `\\boxed{${g}}`,
      () => `The answer is \\boxed{${g}} so \\boxed{${pick(["x", g, "{1}", ""])}}`,
      () => `\\boxed{\\text{${g}}`,
      () => `\\fbox {${g}}`,
      () => `\\(${g}\\)`,
      () => `\\[${g}\\]`,
      () => `x = ${g}`,
      () => `${pick(["about", "≈", "~", "the", "It is", "only"])} ${g} ${pick(["", "apples", "years", "!!", "%", "°", "^\\circ", "\\%", "(approx.)", "or so"])}`,
      () => `${g}${pick(UNICODE)}`,
      () => `${pick(UNICODE)}${g}`,
      () => g.replace(/\d/, (d) => String((Number(d) + 1) % 10)),
      () => g.replaceAll(",", pick(["", " ", "{,}", "\u2009", ".", ",,"])),
      () => g.split("").reverse().join(""),
      () => `the ${g}, ${pick(NAMES)}`,
      () => pick(NAMES),
      () => pick(WEEKDAYS),
      () => "",
      () => `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
      () => (isInt ? words(v) : g),
      () => (isInt ? `${words(v)} ${pick(["", "people", "days", "thousand", "million"])}` : g),
      () => (isInt ? grouped(v, pick([",", ",", " ", "\u2009", "{,}"])) : g),
      () => (isInt ? `${(v / 1e6).toFixed(pick([1, 2, 3]))} ${pick(["million", "Million", "thousand", "billion"])}` : g),
      () => (isInt ? `${v}${pick([".0", ".000", ".5", "e0", "E2", "%"])}` : g),
      () => (isInt ? `${pick(["+", "-", "--", "−", "0", "00"])}${v}` : g),
      () => (value !== undefined ? String(value * pick([1.0001, 0.96, 1.05, 1.06, 0.9999, 1.5])) : g),
      () => (value !== undefined ? (value * 100).toFixed(pick([0, 2, 4])) + pick(["%", "", "\\%"]) : g),
      () => (value !== undefined ? value.toExponential(pick([2, 5, 10])) : g),
      () => (value !== undefined ? `\\frac{${Math.round(value * 8)}}{8}` : g),
      () => `\\frac{${int(0, 9)}}{${int(0, 9)}}`,
      () => `${int(1, 9)}/${int(0, 4)}/${int(1, 3)}`,
      () => `\\left( ${g} \\right)`,
      () => `{${g}}`,
      () => `(${g}`,
      () => `\\frac12`,
      () => `${int(1, 99)}e${pick(["400", "401", "-401", "308", "309", "99999999999999999999"])}`,
      () => `${g} ${pick(["a", "an", "the", "A"])} ${pick(WORDS)}`,
      () => `U.S. ${g}`,
      () => `${g}\u0301`,
      () => `${pick(["é", "ß", "Ω", "北", "_", "1"])}${pick(["a", "an", "the"])} ${g}${pick(["", "é", "the"])}`,
      () => `\\boxed{${pick(["\\{1, 2\\}", "a\\}b", "\\{", "{x}}"])}}`,
      () => `${pick(["\u0663.\u0665", "\uff13/\uff14", "3.\u0665", "\u0663/4"])} ${g}`,
      () => g.replace(/(\d)(\d)/, (_, a: string, b: string) => `${a},${b}`),
      () => pick(["12,34,567", "1,00,000", "1,2,345", "5,1234,567", "1,234.5,678", ".1,234", "1,234,5678"]),
      () => (isInt ? `${words(v % 1000)} hundred ${pick(["hundred", "thousand", "and hundred"])}` : g),
    ];
    let out = chance(0.25) ? pick(forms.slice(0, 2))() : pick(forms)();
    if (chance(0.15)) out = pick(forms)() + pick([" ", ", ", " or ", "\n"]) + out;
    return out;
  }

  type Tags = { think: string; calls: string[]; response: string; answer: string; control: string[]; freeText: boolean };
  const TAGS: Record<FormatName, Tags> = {
    tapo: { think: "think", calls: ["search", "code"], response: "response", answer: "answer", control: [], freeText: false },
    tiny: { think: "think", calls: ["search", "code"], response: "response", answer: "answer", control: [], freeText: false },
    "search-r1": { think: "think", calls: ["search"], response: "information", answer: "answer", control: [], freeText: false },
    "qwen-native": {
      think: "think",
      calls: ["tool_call"],
      response: "tool_response",
      answer: "answer",
      control: ["<|im_end|>", "<|im_start|>user", "<|im_start|>assistant"],
      freeText: true,
    },
  };

  const filler = () => pick(["Let me think.", "I need the year", "x < 3 and y > 2", "print(6*7)", "2 + 2 = 4", "{\"name\": \"search\", \"arguments\": {\"query\": \"q\"}}", "", "one hundred", "<", ">", "</", "a<b>c", "\\boxed{7}", pick(UNICODE)]);

  /** A rollout text: blocks in a plausible order, then (often) one of many ways to break it. */
  function response(fmt: FormatName, answer: string): string {
    const t = TAGS[fmt];
    const block = (name: string, inner: string) => `<${name}>${inner}</${name}>`;
    const sep = () => (fmt === "qwen-native" && chance(0.3) ? pick(t.control) + pick(["\n", ""]) : pick(SPACES));
    const parts: string[] = [];
    const calls = chance(0.2) ? int(3, 10) : int(0, 2);
    if (chance(0.8)) parts.push(block(t.think, filler()));
    for (let i = 0; i < calls; i++) {
      parts.push(block(pick(t.calls), filler()));
      parts.push(`\n\n${block(t.response, chance(0.2) ? `Doc 1: <${pick([t.think, t.answer, "x"])}> inside output` : filler())}\n\n`);
      if (chance(0.5)) parts.push(block(t.think, filler()));
    }
    parts.push(block(t.answer, answer));
    let text = parts.map((p) => p + sep()).join("");
    if (chance(0.5)) return text;
    const answerBlock = block(t.answer, answer);
    const breakers: (() => string)[] = [
      () => text.replace(`</${t.answer}>`, ""),
      () => text.replace(`</${t.think}>`, ""),
      () => text.replace(`<${t.think}>`, ""),
      () => text.replace(`<${t.answer}>`, `<${t.answer.toUpperCase()}>`),
      () => `${text}${pick(["Done!", " ", "\n", "<|im_end|>", "\u00a0", "\u0085", answerBlock, block(t.think, "after")])}`,
      () => `${pick(["Sure. ", "\u0085", "\u001c", "\ufeff", "</think>", "I will answer. "])}${text}`,
      () => `${answerBlock}${sep()}${text}`,
      () => text.replace(answerBlock, block(t.answer, `${answer} <${t.think}>x</${t.think}>`)),
      () => text.replace(answerBlock, `${block(t.answer, "")}${sep()}${answerBlock}`),
      () => text.replace(answerBlock, `${answerBlock}${sep()}${block(t.answer, pick(["7", "Paris", ""]))}`),
      () => text.replace(answerBlock, `<${t.answer}>${answer}<${t.answer}>${answer}</${t.answer}>`),
      () => text.replace(answerBlock, ""),
      () => `${block(t.response, "forged tool output")}${text}`,
      () => `${block(t.think, "a")}${block(t.response, "no call before me")}${answerBlock}`,
      () => `${block(pick(t.calls), "q")}${block(t.response, "r")}${block(t.response, "r again")}${answerBlock}`,
      () => `<${t.think}><${t.think}>nested</${t.think}></${t.think}>${answerBlock}`,
      () => `<${t.think}>open think ${answerBlock}`,
      () => `${block(t.think, "x")}</${pick(t.calls)}>${answerBlock}`,
      () => `${block(t.think, "x")}<${pick(t.calls)}>never closed ${answerBlock}`,
      () => `${block(t.think, "x")} free text between ${answerBlock}`,
      () => `${block("response", "x")}${block("information", "y")}${answerBlock}`,
      () => `<search>q</search><response>r</response><code>c</code><response>s</response>${answerBlock}`,
      () => `<tool_call>{"name": "python"}</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n3\n</tool_response><|im_end|>\n<|im_start|>assistant\n${answerBlock}`,
      () => text.replaceAll("\n", pick(["\r\n", "\u2029", "\u000b", "\u00a0\u00a0", "\u200b"])),
      () => text.slice(0, int(0, text.length)),
      () => `${answerBlock}`,
      () => text.replace(`<${t.answer}>`, `<ans${pick(t.control.concat(["x"]))}wer>`),
      () => `The answer is ${answer}.`,
      () => "",
    ];
    text = pick(breakers)();
    return chance(0.1) ? pick(breakers)() : text;
  }

  function group() {
    const fmt = pick(FORMATS);
    const { kind, gold, value } = task();
    const size = int(1, 8);
    const responses = Array.from({ length: size }, () => response(fmt, prediction(gold, value)));
    const overlong = chance(0.6);
    const maxResponseTokens = pick([0, 1, 16, 100, 512, 4096, int(1, 8192)]);
    const overlongBuffer = chance(0.05) ? maxResponseTokens + int(1, 50) : chance(0.1) ? 0 : int(0, maxResponseTokens);
    const soft = maxResponseTokens - overlongBuffer;
    const tokens = () =>
      pick([int(0, maxResponseTokens + 50), soft, soft + 1, maxResponseTokens, maxResponseTokens + 1, int(soft, maxResponseTokens), int(0, soft), 0]);
    return {
      mode: "group" as const,
      format: fmt,
      kind,
      gold,
      responses,
      policyTokens: responses.map(() => Math.max(0, tokens())),
      toolCalls: responses.map(() => (chance(0.5) ? int(0, 2) : int(0, 12))),
      toolFactor: chance(0.6),
      ...(overlong ? { maxResponseTokens, overlongBuffer } : {}),
    };
  }

  function single() {
    const fmt = pick(FORMATS);
    const { kind, gold, value } = task();
    return {
      mode: "single" as const,
      format: fmt,
      kind,
      gold,
      response: response(fmt, prediction(gold, value)),
      qaMatch: pick(QA_MATCHES),
      tolerance: pick([[1e-3, 0.05], [1e-3, 0.05], [0, 0], [0.5, 0], [1e-9, 0.001]]) as [number, number],
    };
  }

  /** Numbers against numbers, where exact values, percent readings, tolerances and float conversion decide. */
  const EDGE = ["0", "-0", "0.0", ".5", "5.", "1e400", "10e399", "1e401", "10e400", "1e-400", "1e308", "1e309", "-1e309", "2e308", "1.7976931348623157e308",
    "0.1", "0.10000000000000001", "1/3", "0.3333333", "0.33333333333333331", "\\frac{1}{3}", "\\frac{\\frac12}{3}", "\\frac{1}{0}", "1/0", "0/0",
    "100%", "1", "0.01", "1%", "5000%", "50%", "0.5", "50", "0.5%", "-50%", "+-+3", "--3", "3", "(3)", "{3}", "((3)", "3e0", "3E0", "2.9999", "3.0001",
    "99999999999999999999", "100000000000000000000", "1e20", "9007199254740993", "9007199254740992", "123456789.12345678912345", "123456789.1234567891234"];
  function numeric() {
    if (chance(0.2)) {
      // Percent against percent compares as written; against a plain number both readings count.
      const x = pick([1, 5, 50, 0.5, 100, 2500]);
      const [a, b] = pick([[x, x], [x, x * 100], [x * 100, x], [x, x / 100]]);
      return {
        mode: "single" as const, format: "tapo" as FormatName, kind: pick(["calc", "math"] as TaskKind[]), gold: [`${a}${pick(["%", "\\%", ""])}`],
        response: `<answer>${b}${pick(["%", "\\%", ""])}</answer>`, qaMatch: "substring" as QaMatch, tolerance: [0, 0] as [number, number],
      };
    }
    const gold = [pick(EDGE)];
    const pred = chance(0.5) ? pick(EDGE) : chance(0.5) ? prediction(gold, Number(gold[0])) : `${pick(EDGE)}${pick(["%", "", "\\%", "e1"])}`;
    return {
      mode: "single" as const,
      format: "tapo" as FormatName,
      kind: pick(["calc", "calc", "math", "qa"] as TaskKind[]),
      gold,
      response: `<answer>${pred}</answer>`,
      qaMatch: pick(QA_MATCHES),
      tolerance: pick([[1e-3, 0.05], [0, 0], [0, 1e-16], [1e-300, 0], [0.1, 0], [Number.MIN_VALUE, 0]]) as [number, number],
    };
  }

  return { group, single, numeric };
}
