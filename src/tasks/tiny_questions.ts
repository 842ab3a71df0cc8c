// The "tiny" level of the built-in tasks, sized for the bundled tiny model (a
// 2-layer, 148k-parameter Qwen2 shape trained on two CPU cores): the same
// categories as the full level, with short operands and short answers.
//   - compute: a 2-digit product or a 3-digit sum or difference, which the
//     tiny model cannot work out itself but the Python tool can;
//   - easy: repeat a made-up word of two or three syllables given in the
//     question (no tool needed: the answer is a copy of a span of the question).
//   - fact1, fact2: one and two hops over the tiny fact world
//     (world/tiny_world.ts), whose names are made of the same syllables.
// Answers are computed exactly here.
import { intIn, type DraftQuestion, type Rand } from "./compute_questions.ts";
import { TINY_SYLLABLES } from "./world/tiny_world.ts";


/** One tiny computation: "What is 47 * 86?", "What is 512 + 389?", "What is 845 - 267?". */
export function tinyComputeQuestion(rand: Rand): DraftQuestion {
  switch (intIn(rand, 0, 2)) {
    case 0: {
      const [a, b] = [intIn(rand, 11, 99), intIn(rand, 11, 99)];
      return { question: `What is ${a} * ${b}?`, answers: [String(a * b)], kind: "math" };
    }
    case 1: {
      const [a, b] = [intIn(rand, 100, 999), intIn(rand, 100, 999)];
      return { question: `What is ${a} + ${b}?`, answers: [String(a + b)], kind: "math" };
    }
    default: {
      const a = intIn(rand, 200, 999);
      const b = intIn(rand, 100, a - 1);
      return { question: `What is ${a} - ${b}?`, answers: [String(a - b)], kind: "math" };
    }
  }
}

/** One tiny easy question: "Repeat the word Kalomi." (answer: Kalomi); two or three syllables, no quotes, so the word has the same tokens in the question and in the answer. */
export function tinyEasyQuestion(rand: Rand): DraftQuestion {
  const n = intIn(rand, 2, 3);
  const word = Array.from({ length: n }, () => TINY_SYLLABLES[intIn(rand, 0, TINY_SYLLABLES.length - 1)]!).join("");
  const name = word[0]!.toUpperCase() + word.slice(1);
  return { question: `Repeat the word ${name}.`, answers: [name], kind: "qa" };
}
