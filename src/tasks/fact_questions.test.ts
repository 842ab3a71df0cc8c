// Checks fact and mixed questions against the committed bundled corpus (Node, no GPU): one-hop answers stand in the named entity's document, two-hop answers need a second, different document, mixed answers follow from facts stated in the corpus.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random.ts";
import { factQuestionPool } from "./fact_questions.ts";
import { mixedSampler } from "./mixed_questions.ts";
import { splitOfEntity } from "./split.ts";
import { BUNDLED_CORPUS_FILE, bundledWorld } from "./world/bundled.ts";
import type { CorpusDoc } from "./world/types.ts";

const corpus = new Map(
  readFileSync(BUNDLED_CORPUS_FILE, "utf8").trimEnd().split("\n").map((l) => {
    const d = JSON.parse(l) as CorpusDoc;
    return [d.id, d] as const;
  }),
);
const world = bundledWorld();
const pool = factQuestionPool(world);

describe("fact questions", () => {
  it("offers thousands of one-hop and two-hop questions", () => {
    expect(pool.filter((q) => q.hops === 1).length).toBeGreaterThan(3000);
    expect(pool.filter((q) => q.hops === 2).length).toBeGreaterThan(3000);
    expect(new Set(pool.map((q) => q.question)).size, "questions are distinct").toBe(pool.length);
  });

  it("answers one-hop questions from the named entity's own document", () => {
    for (const q of pool.filter((p) => p.hops === 1)) {
      const doc = corpus.get(q.evidence[0]!)!;
      expect(q.evidence).toHaveLength(1);
      expect(doc.text, q.question).toContain(q.answers[0]);
      expect(q.question, "the question names the document's entity").toContain(doc.title);
      expect(q.question.includes(q.answers[0]!), q.question).toBe(false);
    }
  });

  it("needs two different documents for two-hop questions", () => {
    for (const q of pool.filter((p) => p.hops === 2)) {
      const [first, second] = q.evidence.map((id) => corpus.get(id)!);
      expect(first!.id).not.toBe(second!.id);
      expect(q.question, q.question).toContain(first!.title);
      expect(q.question.includes(second!.title), `${q.question}: names the second entity`).toBe(false);
      expect(first!.text, `${q.question}: the first document links to the second`).toContain(second!.title);
      expect(second!.text, q.question).toContain(q.answers[0]);
      expect(first!.text.includes(q.answers[0]!), `${q.question}: answerable from the first document alone`).toBe(false);
    }
  });
});

describe("mixed questions", () => {
  it("compute their answers from facts stated in the corpus, naming only entities of the split", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (const split of ["train", "test"] as const) {
      const sample = mixedSampler(world, split);
      let made = 0;
      for (let i = 0; i < 400; i++) {
        const q = sample(rand);
        if (!q) continue;
        made++;
        for (const f of q.facts) expect(corpus.get(f.subjectId)!.text, `seed ${seed}: ${q.question}`).toContain(f.valueText);
        const [a, b] = q.facts.map((f) => Number(f.valueText.replace(/,/g, "")));
        const expected = q.combine === "sum" ? a! + b! : b! - a!;
        expect(Number(q.answers[0]!.replace(/,/g, "")), `seed ${seed}: ${q.question}`).toBe(expected);
        expect(expected, `seed ${seed}: ${q.question}`).toBeGreaterThan(0);
        for (const id of q.named) {
          expect(splitOfEntity(id)).toBe(split);
          expect(q.question).toContain(corpus.get(id)!.title);
        }
      }
      expect(made, `seed ${seed}: ${split}`).toBeGreaterThan(200);
    }
  });
});
