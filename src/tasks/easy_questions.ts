// Easy questions that need no tool (small arithmetic, spelling a word
// backwards, counting letters), so evaluation can see whether a model calls
// tools only when it must.

import { intIn, type DraftQuestion, type Rand } from "./compute_questions.ts";
import table from "./easy_words.json";

function pickWord(rand: Rand): string {
  return table.words[Math.floor(rand() * table.words.length)]!;
}

/** One easy question: answers computed here, checkable without a tool. */
export function easyQuestion(rand: Rand): DraftQuestion {
  switch (intIn(rand, 0, 5)) {
    case 0: {
      const [a, b] = [intIn(rand, 1, 30), intIn(rand, 1, 30)];
      return { question: `What is ${a} + ${b}?`, answers: [String(a + b)], kind: "math" };
    }
    case 1: {
      const [a, b] = [intIn(rand, 2, 12), intIn(rand, 2, 12)];
      return { question: `What is ${a} × ${b}?`, answers: [String(a * b)], kind: "math" };
    }
    case 2: {
      const a = intIn(rand, 10, 60);
      const b = intIn(rand, 1, a);
      return { question: `What is ${a} - ${b}?`, answers: [String(a - b)], kind: "math" };
    }
    case 3: {
      const n = intIn(rand, 100, 9_999);
      const sum = [...String(n)].reduce((s, d) => s + Number(d), 0);
      return { question: `What is the sum of the digits of ${n}?`, answers: [String(sum)], kind: "math" };
    }
    case 4: {
      const word = pickWord(rand);
      return { question: `Spell the word "${word}" backwards.`, answers: [[...word].reverse().join("")], kind: "qa" };
    }
    default: {
      const word = pickWord(rand);
      return { question: `How many letters are in the word "${word}"?`, answers: [String(word.length)], kind: "math" };
    }
  }
}
