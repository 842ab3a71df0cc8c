// English number words to digits inside text: "twenty-one" → "21", "one hundred
// and five" → "105", "a thousand" → "1000", "two million five hundred thousand"
// → "2500000" (up to the billions), and "1.5 million" → "1500000". Cardinals
// only: ordinals ("first") and fractions ("a half") are left as they are.

const UNITS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9 };

type Kind = "unit" | "teen" | "tens" | "hundred" | "scale" | "and" | "a" | "zero" | "other";

function kindOf(word: string): Kind {
  if (word in UNITS) return "unit";
  if (word in TEENS) return "teen";
  if (word in TENS) return "tens";
  if (word === "hundred") return "hundred";
  if (word in SCALES) return "scale";
  if (word === "and") return "and";
  if (word === "a") return "a";
  if (word === "zero") return "zero";
  return "other";
}

type Word = { word: string; kind: Kind; start: number; end: number };

/** Which kinds may follow `last` inside one number phrase. */
function canFollow(last: Kind | undefined, next: Kind): boolean {
  switch (next) {
    case "unit":
      return last === undefined || last === "tens" || last === "hundred" || last === "scale" || last === "and";
    case "teen":
    case "tens":
      return last === undefined || last === "hundred" || last === "scale" || last === "and";
    case "hundred":
      return last === "unit" || last === "teen" || last === "tens" || last === "a";
    case "scale":
      return last === "unit" || last === "teen" || last === "tens" || last === "hundred" || last === "a";
    default:
      return false;
  }
}

/** The number phrase starting at words[i]: its value and the index past its last word, or undefined. */
function readNumber(words: Word[], text: string, i: number): { value: number; next: number } | undefined {
  const first = words[i];
  if (first === undefined) return undefined;
  if (first.kind === "zero") return { value: 0, next: i + 1 };
  let total = 0;
  let current = 0;
  let lastScale = Infinity;
  let last: Kind | undefined;
  let next = i;
  for (let k = i; k < words.length; k++) {
    const w = words[k] as Word;
    if (k > i && !/^(?:\s+|\s*-\s*)$/.test(text.slice((words[k - 1] as Word).end, w.start))) break;
    const kind = w.kind;
    if (kind === "a") {
      // "a" counts as one only right before "hundred" or a scale word ("a thousand").
      const after = words[k + 1];
      if (last !== undefined || after === undefined || (after.kind !== "hundred" && after.kind !== "scale")) break;
      current = 1;
      last = "a";
      continue;
    }
    if (kind === "and") {
      const after = words[k + 1];
      if ((last !== "hundred" && last !== "scale") || after === undefined || !canFollow("and", after.kind)) break;
      last = "and";
      continue;
    }
    if (!canFollow(last, kind)) break;
    if (kind === "unit") current += UNITS[w.word] as number;
    else if (kind === "teen") current += TEENS[w.word] as number;
    else if (kind === "tens") current += TENS[w.word] as number;
    else if (kind === "hundred") {
      if (current >= 100) break;
      current *= 100;
    } else if (kind === "scale") {
      const scale = SCALES[w.word] as number;
      if (scale >= lastScale || current === 0) break;
      total += current * scale;
      current = 0;
      lastScale = scale;
    } else break;
    last = kind;
    next = k + 1;
  }
  return next > i ? { value: total + current, next } : undefined;
}

/** `text` with every cardinal number phrase in words replaced by its digits (case-insensitive). */
export function numberWordsToDigits(text: string): string {
  const words: Word[] = [];
  for (const m of text.matchAll(/[A-Za-z]+/g)) {
    const word = m[0].toLowerCase();
    words.push({ word, kind: kindOf(word), start: m.index, end: m.index + m[0].length });
  }
  let out = "";
  let copied = 0;
  for (let i = 0; i < words.length; ) {
    const found = readNumber(words, text, i);
    if (found === undefined) {
      i++;
      continue;
    }
    const from = (words[i] as Word).start;
    const to = (words[found.next - 1] as Word).end;
    out += text.slice(copied, from) + String(found.value);
    copied = to;
    i = found.next;
  }
  return scaleDigits(out + text.slice(copied));
}

/** The decimal string `digits` times 10^k, exactly ("1.25", 6 → "1250000"). */
function shiftDecimal(digits: string, k: number): string {
  const [int = "", frac = ""] = digits.split(".");
  const moved = int + frac.slice(0, k).padEnd(k, "0");
  const rest = frac.slice(k);
  const whole = moved.replace(/^0+(?=\d)/, "");
  return rest.length > 0 ? `${whole}.${rest}` : whole;
}

/** "1.5 million" → "1500000": digits followed by a scale word. */
function scaleDigits(text: string): string {
  return text.replace(/(?<![\d.])(\d+(?:\.\d+)?)\s+(thousand|million|billion)\b/gi, (_, num: string, scale: string) =>
    shiftDecimal(num, { thousand: 3, million: 6, billion: 9 }[scale.toLowerCase() as "thousand"]),
  );
}
