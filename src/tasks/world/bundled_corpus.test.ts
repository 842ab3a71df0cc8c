// Checks the committed bundled corpus (public/corpus/tapo-world.jsonl) equals the generator's output and stays small (Node, no GPU).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUNDLED_CORPUS_FILE, bundledCorpusJsonl, bundledTinyWorld, bundledWorld } from "./bundled.ts";

describe("bundled corpus", () => {
  it("matches the generator (run `npm run build:corpus` after changing it)", () => {
    const committed = readFileSync(BUNDLED_CORPUS_FILE, "utf8");
    const generated = bundledCorpusJsonl();
    expect(committed.length, "run `npm run build:corpus`").toBe(generated.length);
    expect(committed === generated, "run `npm run build:corpus`").toBe(true);
  });

  it("has one document per entity of the full world, then of the tiny world, a few hundred to 2,000 in all, under 1 MB", () => {
    const world = bundledWorld();
    const tiny = bundledTinyWorld();
    const lines = readFileSync(BUNDLED_CORPUS_FILE, "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(world.entities.length + tiny.people.length + tiny.towns.length);
    expect(lines.length).toBeGreaterThanOrEqual(300);
    expect(lines.length).toBeLessThanOrEqual(2000);
    expect(Buffer.byteLength(lines.join("\n"))).toBeLessThan(1_000_000);
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toEqual([...world.entities, ...tiny.people, ...tiny.towns].map((e) => e.id));
  });
});
