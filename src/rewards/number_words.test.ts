// Checks number words to digits: hand-written phrases, text around them, and seeded random numbers spelled out by a speller in this file. Node, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { numberWordsToDigits } from "./number_words";

const SMALL = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** British-style spelling of 1 ≤ n < 1000 ("one hundred and five", "forty-two"). */
function spellHundreds(n: number, and: boolean): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  const tail = r < 20 ? SMALL[r] : `${TENS[Math.floor(r / 10)]}${r % 10 ? `-${SMALL[r % 10]}` : ""}`;
  if (h === 0) return tail as string;
  return `${SMALL[h]} hundred${r ? `${and ? " and" : ""} ${tail}` : ""}`;
}

function spell(n: number, and: boolean): string {
  if (n === 0) return "zero";
  const parts: string[] = [];
  for (const [scale, name] of [[1e9, "billion"], [1e6, "million"], [1e3, "thousand"], [1, ""]] as const) {
    const chunk = Math.floor(n / scale) % 1000;
    if (chunk > 0) parts.push(`${spellHundreds(chunk, and)}${name ? ` ${name}` : ""}`);
  }
  return parts.join(" ");
}

describe("numberWordsToDigits", () => {
  it("reads compound numbers", () => {
    const cases: [string, string][] = [
      ["twenty-one", "21"],
      ["twenty one", "21"],
      ["one hundred and five", "105"],
      ["one hundred five", "105"],
      ["a hundred", "100"],
      ["a thousand and one", "1001"],
      ["three thousand four hundred", "3400"],
      ["two million five hundred thousand", "2500000"],
      ["twelve hundred", "1200"],
      ["Seventy-Seven", "77"],
      ["zero", "0"],
      ["1.5 million", "1500000"],
      ["0.25 million", "250000"],
      ["3 thousand", "3000"],
    ];
    for (const [words, digits] of cases) expect(numberWordsToDigits(words), words).toBe(digits);
  });

  it("keeps the text around numbers and splits sequences that are not one number", () => {
    expect(numberWordsToDigits("She had twenty-one cats and three dogs.")).toBe("She had 21 cats and 3 dogs.");
    expect(numberWordsToDigits("one two three")).toBe("1 2 3");
    expect(numberWordsToDigits("twenty twenty")).toBe("20 20");
    expect(numberWordsToDigits("five and six")).toBe("5 and 6");
    expect(numberWordsToDigits("one hundred and")).toBe("100 and");
    expect(numberWordsToDigits("a cat and a dog")).toBe("a cat and a dog");
    expect(numberWordsToDigits("someone often tends")).toBe("someone often tends");
    expect(numberWordsToDigits("the first one")).toBe("the first 1");
  });

  it("reads every seeded random number below ten billion as the speller writes it", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 500; i++) {
      const digits = 1 + Math.floor(rand() * 10);
      const n = Math.floor(rand() * 10 ** digits);
      const and = rand() < 0.5;
      const words = spell(n, and);
      expect(numberWordsToDigits(`x ${words} y`), `seed ${seed}: ${words}`).toBe(`x ${n} y`);
    }
  });
});
