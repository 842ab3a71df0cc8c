// Checks the BM25 local index (Node, no GPU): ranking sanity on a hand-made corpus, incremental add, JSON round trip, and that every entity of the bundled world is found by its name.
import { describe, expect, it } from "vitest";
import { bundledTinyWorld, bundledWorld } from "../../tasks/world/bundled.ts";
import { mulberry32, freshSeed } from "../../util/random.ts";
import { loadBundledIndexFromDisk } from "./corpus_loader.ts";
import { LocalIndex } from "./local_index.ts";

const HAND_MADE = [
  { id: "a", title: "Harbour", text: "The harbour of the city is busy with ships and the city market." },
  { id: "b", title: "Market", text: "The city market sells bread, fish and cloth from the city." },
  { id: "c", title: "Mineral", text: "Zircon is found in the hills north of the city." },
  { id: "d", title: "Walls", text: "The city walls were rebuilt twice; the city gate faces the river." },
  { id: "e", title: "Bridge", text: "A stone bridge crosses the river near the city." },
];

describe("LocalIndex", () => {
  it("ranks the document with the rare query term first", () => {
    const index = LocalIndex.fromDocs(HAND_MADE);
    const hits = index.search("city zircon", 5);
    expect(hits[0]?.id).toBe("c");
    // Every document says "city", so all match, but the rare term dominates.
    expect(hits.length).toBe(5);
    expect(hits[0]!.score!).toBeGreaterThan(hits[1]!.score!);
  });

  it("prefers a document matching two query terms over ones matching one", () => {
    const index = LocalIndex.fromDocs(HAND_MADE);
    expect(index.search("stone river", 5)[0]?.id).toBe("e");
    expect(index.search("bread cloth", 5)[0]?.id).toBe("b");
    expect(index.search("quartzite", 5)).toEqual([]);
  });

  it("adds documents later, skips known ids, and survives a JSON round trip", () => {
    const index = LocalIndex.fromDocs(HAND_MADE.slice(0, 3));
    expect(index.search("bridge", 3)).toEqual([]);
    expect(index.add(HAND_MADE)).toBe(2);
    expect(index.size).toBe(5);
    expect(index.search("bridge", 3)[0]?.id).toBe("e");
    const copy = LocalIndex.fromJSON(index.toJSON());
    expect(copy.search("zircon hills", 3)).toEqual(index.search("zircon hills", 3));
    expect(copy.search("bridge", 1)[0]).toMatchObject({ id: "e", title: "Bridge", text: HAND_MADE[4]!.text });
  });

  it("finds every entity of the bundled world by its name in the top 3", async () => {
    const index = await loadBundledIndexFromDisk();
    const world = bundledWorld();
    const tiny = bundledTinyWorld();
    expect(index.size).toBe(world.entities.length + tiny.people.length + tiny.towns.length);
    const misses: string[] = [];
    for (const e of world.entities) {
      const ids = index.search(e.name, 3).map((h) => h.id);
      if (!ids.includes(e.id)) misses.push(`${e.name} (${e.id}) -> ${ids.join(", ")}`);
    }
    expect(misses).toEqual([]);
  });

  it("answers both hops of a two-hop question from the bundled corpus", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const index = await loadBundledIndexFromDisk();
    const world = bundledWorld();
    const byId = new Map(world.entities.map((e) => [e.id, e]));
    const relations = world.facts.filter((f) => f.objectId !== undefined);
    for (let i = 0; i < 50; i++) {
      const hop1 = relations[Math.floor(rand() * relations.length)]!;
      const subject = byId.get(hop1.subjectId)!;
      const first = index.search(subject.name, 3).find((h) => h.id === subject.id);
      expect(first?.text, `seed ${seed}: ${subject.name}`).toContain(hop1.valueText);
      // The second hop searches the name read in the first document.
      const second = index.search(hop1.valueText, 3).map((h) => h.id);
      expect(second, `seed ${seed}: ${hop1.valueText}`).toContain(hop1.objectId);
    }
  });
});
