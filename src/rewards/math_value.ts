// Reading a math answer: LaTeX noise removed (\left, \right, spacing commands,
// \text{} wrappers, degree signs, "x =" prefixes, $…$), and the exact value of
// what is left when it is a number: integers, decimals, a/b, \frac{a}{b} (also
// \dfrac, \tfrac and \frac12), nested fractions, signs, parentheses and a
// trailing percent sign.
import { numberWordsToDigits } from "./number_words";
import { stripWrapping } from "./normalize";
import { divide, negate, parseDecimal, type Rational } from "./rational";

/**
 * The cleaned form of a math answer (also the exact-match fallback): number words to digits,
 * surrounding $ and \( \) removed, \dfrac/\tfrac → \frac, \left/\right and spacing commands
 * removed, \text{x} → x, degree marks removed, a leading "x =" before a number dropped, "{,}" and a whole-number
 * thousands separator removed, one trailing period dropped, lowercase, no whitespace.
 */
export function cleanMath(text: string): string {
  let t = stripWrapping(numberWordsToDigits(text));
  t = t.replace(/^\\\(([\s\S]*)\\\)$/, "$1").replace(/^\\\[([\s\S]*)\\\]$/, "$1");
  t = t.replace(/\\[dt]frac/g, "\\frac");
  t = t.replace(/\\(?:left|right)(?![a-zA-Z])/g, "");
  t = t.replace(/\\[!,;:>]|\\ |~/g, " ");
  t = t.replace(/\\(?:text|textbf|mathrm|mathbf|mbox)\s*\{([^{}]*)\}/g, "$1");
  t = t.replace(/\^\s*\{?\\circ\}?|°/g, "");
  t = t.replace(/\\\$/g, "").replace(/\\%/g, "%");
  t = t.replace(/\{,\}/g, ",").replace(/\u2212/g, "-");
  t = t.replace(/^[a-zA-Z]\s*=\s*(?=[-+\d.\\({])/, "");
  t = t.replace(/\s+/g, "");
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$/.test(t)) t = t.replaceAll(",", "");
  t = stripWrapping(t);
  return t.toLowerCase();
}

/** The value of a cleaned math answer and whether it ended in a percent sign. */
export type MathValue = { value: Rational; percent: boolean };

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  eat(token: string): boolean {
    if (!this.s.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }
  // expr := ('+' | '-')* term ('/' term)*
  expr(): Rational | undefined {
    let sign = 1;
    for (;;) {
      if (this.eat("-")) sign = -sign;
      else if (!this.eat("+")) break;
    }
    let value = this.atom();
    while (value !== undefined && this.eat("/")) {
      const den = this.atom();
      value = den === undefined ? undefined : divide(value, den);
    }
    return value === undefined ? undefined : sign < 0 ? negate(value) : value;
  }
  // atom := decimal | \frac group group | '(' expr ')' | '{' expr '}'
  atom(): Rational | undefined {
    if (this.eat("\\frac")) {
      const num = this.group();
      const den = num === undefined ? undefined : this.group();
      return num === undefined || den === undefined ? undefined : divide(num, den);
    }
    for (const [open, close] of [["(", ")"], ["{", "}"]] as const) {
      if (this.eat(open)) {
        const inner = this.expr();
        return inner !== undefined && this.eat(close) ? inner : undefined;
      }
    }
    const m = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (m === null) return undefined;
    this.pos += m[0].length;
    return parseDecimal(m[0]);
  }
  // group := '{' expr '}' | digit   (\frac12 is \frac{1}{2})
  group(): Rational | undefined {
    if (this.eat("{")) {
      const inner = this.expr();
      return inner !== undefined && this.eat("}") ? inner : undefined;
    }
    const ch = this.s[this.pos];
    if (ch === undefined || !/\d/.test(ch)) return undefined;
    this.pos++;
    return parseDecimal(ch);
  }
}

/** The exact value of a cleaned math answer (see cleanMath), or undefined when it is not a plain number. */
export function mathValue(cleaned: string): MathValue | undefined {
  const percent = cleaned.endsWith("%");
  const reader = new Reader(percent ? cleaned.slice(0, -1) : cleaned);
  const value = reader.expr();
  return value !== undefined && reader.pos === reader.s.length ? { value, percent } : undefined;
}
