// Checks the tiny fact world and its questions (Node, no GPU): on worlds of fresh seeds, every answer
// is stated in the last evidence document and never in the question (nor, for two hops, in the first
// document); names are two syllables and unique; searching a tiny name in the bundled corpus returns
// its own document first; the tiny level's fact tasks come from this world and keep entities to one split.
import { describe, expect, it } from "vitest";
import { LocalSearchBackend } from "../tools/search/local_index.ts";
import { loadBundledIndexFromDisk } from "../tools/search/corpus_loader.ts";
import { freshSeed } from "../util/random.ts";
import { builtinTasks } from "./builtin.ts";
import { splitOfEntity } from "./split.ts";
import { tinyFactQuestionPool } from "./tiny_fact_questions.ts";
import { bundledTinyWorld } from "./world/bundled.ts";
import { generateTinyWorld, renderTinyCorpus, TINY_SYLLABLES } from "./world/tiny_world.ts";

const twoSyllables = new RegExp(`^(${TINY_SYLLABLES.join("|")}){2}$`);

describe("the tiny fact world", () => {
  it("asks questions whose answers its documents state, one or two documents away", () => {
    const seed = freshSeed();
    const world = generateTinyWorld(seed, new Set(["kalo"]), { people: 80, towns: 6 });
    const docs = new Map(renderTinyCorpus(world).map((d) => [d.id, d]));
    const names = [...world.people.map((p) => p.name), ...world.towns.flatMap((t) => [t.name, t.river])];
    expect(new Set(names.map((n) => n.toLowerCase())).size, `seed ${seed}`).toBe(names.length);
    for (const n of names) expect(n.toLowerCase(), `seed ${seed}`).toMatch(twoSyllables);
    expect(names.map((n) => n.toLowerCase())).not.toContain("kalo");
    const pool = tinyFactQuestionPool(world);
    expect(pool.filter((q) => q.hops === 1).length).toBe(2 * 80 + 6);
    expect(pool.filter((q) => q.hops === 2).length).toBeGreaterThan(80);
    for (const q of pool) {
      const msg = `seed ${seed}: ${q.question} → ${q.answers[0]}`;
      const evidence = q.evidence.map((id) => docs.get(id)!);
      expect(evidence.length, msg).toBe(q.hops);
      expect(evidence.at(-1)!.text, msg).toContain(` ${q.answers[0]}.`);
      expect(q.question, msg).not.toContain(q.answers[0]);
      expect(q.question, msg).toContain(evidence[0]!.title);
      if (q.hops === 2) {
        expect(evidence[0]!.text, msg).not.toContain(q.answers[0]);
        expect(evidence[0]!.text, msg).toContain(evidence[1]!.title);
      }
      expect(q.named).toEqual([q.evidence[0]]);
    }
  });

  it("finds each tiny name's own document first in the bundled corpus", async () => {
    const search = new LocalSearchBackend(await loadBundledIndexFromDisk());
    const world = bundledTinyWorld();
    for (const d of renderTinyCorpus(world)) {
      const hits = await search.search(d.title, 1);
      expect(hits[0]?.id, d.title).toBe(d.id);
    }
  });

  it("is where the tiny level's fact tasks come from, each naming entities of its own split", () => {
    const seed = freshSeed();
    const pool = new Map(tinyFactQuestionPool(bundledTinyWorld()).map((q) => [q.question, q]));
    for (const split of ["train", "test"] as const) {
      const tasks = builtinTasks({ seed, split, level: "tiny", counts: { fact1: 30, fact2: 15 } });
      expect(tasks).toHaveLength(45);
      for (const t of tasks) {
        const q = pool.get(t.question);
        expect(q, `seed ${seed}: ${t.question}`).toBeDefined();
        expect(q!.hops).toBe(t.category === "fact1" ? 1 : 2);
        expect(t.answers).toEqual(q!.answers);
        expect(q!.named.map(splitOfEntity)).toEqual([split]);
      }
    }
  });
});
