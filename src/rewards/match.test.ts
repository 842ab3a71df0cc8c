// Checks answer matching: math equivalence (numbers, fractions, LaTeX, percent), calculator tolerance, QA exact/substring/F1 and their normalisation, on hand-written and seeded random answers. Node, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { mathEqual, numericClose, qaExactMatch, qaSubstringMatch, qaTokenF1 } from "./match";
import { cleanMath } from "./math_value";
import { normalizeQa, stripThousands } from "./normalize";

describe("mathEqual", () => {
  it("equates the same number written differently", () => {
    const same: [string, string][] = [
      ["0.5", "1/2"],
      ["0.75", "\\frac{3}{4}"],
      ["\\dfrac{3}{4}", "3/4"],
      ["\\tfrac12", "0.5"],
      ["\\frac{\\frac{1}{2}}{2}", "0.25"],
      ["-\\frac{1}{2}", "-0.5"],
      ["\\frac{-1}{2}", "-.5"],
      ["\\left( -3 \\right)", "-3"],
      ["$1,234,567$", "1234567"],
      ["1{,}000", "1000"],
      ["12.0", "12"],
      ["007", "7"],
      ["x = 5", "5"],
      ["90^\\circ", "90"],
      ["\\$5", "5"],
      ["5.", "5"],
      ["twenty-one", "21"],
      ["\\text{12}", "12"],
      ["1e3", "1000"],
      ["\\frac{6}{8}", "\\frac{3}{4}"],
      ["2\\!/\\!3", "\\frac{2}{3}"],
    ];
    for (const [a, b] of same) {
      expect(mathEqual(a, b), `${a} = ${b}`).toBe(true);
      expect(mathEqual(b, a), `${b} = ${a}`).toBe(true);
    }
  });

  it("tells different numbers apart", () => {
    const different: [string, string][] = [
      ["12", "120"],
      ["1/2", "2"],
      ["0.333", "1/3"],
      ["-5", "5"],
      ["1,234", "1.234"],
      ["\\frac{1}{2}", "\\frac{2}{1}"],
      ["1/0", "0"],
      ["", "0"],
      ["(1,234)", "1234"],
    ];
    for (const [a, b] of different) expect(mathEqual(a, b), `${a} ≠ ${b}`).toBe(false);
  });

  it("reads a percentage both as written and over a hundred, as match.ts documents", () => {
    expect(mathEqual("50%", "0.5")).toBe(true);
    expect(mathEqual("50\\%", "\\frac{1}{2}")).toBe(true);
    expect(mathEqual("50%", "50")).toBe(true);
    expect(mathEqual("0.5", "50%")).toBe(true);
    expect(mathEqual("50%", "50%")).toBe(true);
    expect(mathEqual("0.5%", "50%")).toBe(false);
    expect(mathEqual("5%", "0.5")).toBe(false);
  });

  it("falls back to the cleaned strings when either side is not a number", () => {
    expect(mathEqual("\\sqrt{2}", " \\sqrt{2} ")).toBe(true);
    expect(mathEqual("x + 1", "X+1")).toBe(true);
    expect(mathEqual("\\text{(B)}", "(B)")).toBe(true);
    expect(mathEqual("\\sqrt{2}", "\\sqrt{3}")).toBe(false);
    expect(mathEqual("(1,2)", "(1, 2)")).toBe(true);
    expect(cleanMath("a = b")).toBe("a=b");
  });

  it("equates random fractions with their terminating decimals, and not with a neighbour", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 300; i++) {
      const den = 2 ** Math.floor(rand() * 6) * 5 ** Math.floor(rand() * 4);
      const num = Math.floor(rand() * 2000) - 1000;
      const decimal = (num / den).toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
      const frac = `${num < 0 ? "-" : ""}\\frac{${Math.abs(num)}}{${den}}`;
      expect(mathEqual(frac, decimal), `seed ${seed}: ${frac} vs ${decimal}`).toBe(true);
      expect(mathEqual(`${num}/${den}`, decimal), `seed ${seed}`).toBe(true);
      expect(mathEqual(`${num + 1}/${den}`, decimal), `seed ${seed}: ${num + 1}/${den} vs ${decimal}`).toBe(false);
    }
  });
});

describe("numericClose", () => {
  it("accepts within abs 1e-3 or 5% of the gold, and not beyond", () => {
    expect(numericClose("100.0009", "100")).toBe(true);
    expect(numericClose("104.9", "100")).toBe(true);
    expect(numericClose("95.1", "100")).toBe(true);
    expect(numericClose("105.1", "100")).toBe(false);
    expect(numericClose("0.0009", "0")).toBe(true);
    expect(numericClose("0.0011", "0")).toBe(false);
    expect(numericClose("0.0105", "0.01")).toBe(true);
    expect(numericClose("0.0115", "0.01")).toBe(false);
    expect(numericClose("-100", "100")).toBe(false);
    expect(numericClose("3.1416", "\\frac{22}{7}")).toBe(true);
    expect(numericClose("1,000,001", "one million")).toBe(true);
  });

  it("is relative to the gold, not the prediction", () => {
    // |200 − 190| = 10 is 5.26% of 190 but 5% of 200.
    expect(numericClose("190", "200")).toBe(true);
    expect(numericClose("200", "190")).toBe(false);
  });

  it("takes another tolerance and falls back to mathEqual for non-numbers", () => {
    expect(numericClose("101", "100", { abs: 0, rel: 0 })).toBe(false);
    expect(numericClose("100", "100", { abs: 0, rel: 0 })).toBe(true);
    expect(numericClose("Paris", "paris")).toBe(true);
    expect(numericClose("Paris", "100")).toBe(false);
  });
});

describe("QA normalisation and matching", () => {
  it("normalises SQuAD-style, with number words and thousands separators", () => {
    expect(normalizeQa("The Eiffel Tower!")).toBe("eiffel tower");
    expect(normalizeQa("  An   apple, a day ")).toBe("apple day");
    expect(normalizeQa("Twenty-one")).toBe("21");
    expect(normalizeQa("1,234,567 people")).toBe("1234567 people");
    expect(normalizeQa("U.S.")).toBe("us");
    expect(normalizeQa("3.5 km")).toBe("3.5 km");
    expect(normalizeQa("3/4")).toBe("3/4");
    expect(normalizeQa("$12.")).toBe("12");
    expect(stripThousands("1,2,3 and 12,345 and 1,23")).toBe("1,2,3 and 12345 and 1,23");
    expect(stripThousands("1,234.5, 7")).toBe("1234.5, 7");
  });

  it("exact match: equal after normalisation, against any gold", () => {
    expect(qaExactMatch("The Eiffel Tower", "eiffel tower")).toBe(true);
    expect(qaExactMatch("twenty one", "21")).toBe(true);
    expect(qaExactMatch("eiffel tower in paris", "eiffel tower")).toBe(false);
    expect(qaExactMatch("the", "a")).toBe(false);
    expect(qaExactMatch("12", "120")).toBe(false);
  });

  it("substring match: the gold's words appear together in the prediction", () => {
    expect(qaSubstringMatch("It is the Eiffel Tower, in Paris.", "eiffel tower")).toBe(true);
    expect(qaSubstringMatch("120", "12")).toBe(false);
    expect(qaSubstringMatch("tower eiffel", "eiffel tower")).toBe(false);
    expect(qaSubstringMatch("Parisian", "Paris")).toBe(false);
    expect(qaSubstringMatch("anything", "the")).toBe(false);
  });

  it("token F1: hand-computed values", () => {
    // pred tokens [eiffel, tower, paris], gold [eiffel, tower]: P = 2/3, R = 1, F1 = 0.8.
    expect(qaTokenF1("the Eiffel Tower, Paris", "Eiffel Tower")).toBeCloseTo(0.8, 12);
    // pred [new, york, city], gold [york, new, york]: common 2 (new, york), P = 2/3, R = 2/3.
    expect(qaTokenF1("New York City", "York New York")).toBeCloseTo(2 / 3, 12);
    expect(qaTokenF1("Paris", "Paris")).toBe(1);
    expect(qaTokenF1("London", "Paris")).toBe(0);
    expect(qaTokenF1("", "Paris")).toBe(0);
  });
});
