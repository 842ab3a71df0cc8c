// Checks the fictional world generator (Node, no GPU): determinism, unique invented names, consistent dates, and that every fact is stated in its subject's own document.
import { describe, expect, it } from "vitest";
import { freshSeed } from "../../util/random.ts";
import { entitiesById, generateWorld, WorldSizeError } from "./generate.ts";
import { renderCorpus } from "./render.ts";
import type { Entity, World } from "./types.ts";
import tables from "./world_tables.json";

/** A value as a whole token: "80,900" must not match inside "280,900", nor "Syf" inside "Syfous". */
function asWholeValue(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}]|\\p{N}[,.])${escaped}(?![\\p{L}\\p{N}]|[,.]\\p{N})`, "u");
}

const SMALL = { countries: 5, cities: 40, organisations: 50, people: 200, events: 60 };

/** Every invented word the world uses as (part of) a name. */
function nameWords(world: World): { word: string; owner: string }[] {
  const out: { word: string; owner: string }[] = [];
  const givenSeen = new Set<string>();
  for (const e of world.entities) {
    switch (e.kind) {
      case "person":
        out.push({ word: e.familyName, owner: e.id });
        if (!givenSeen.has(e.givenName)) out.push({ word: e.givenName, owner: "given names" });
        givenSeen.add(e.givenName);
        break;
      case "city":
        out.push({ word: e.name, owner: e.id }, { word: e.river, owner: `${e.id} river` });
        break;
      case "country":
        out.push({ word: e.name, owner: e.id }, { word: e.currency, owner: `${e.id} currency` });
        break;
      default: {
        const template = e.kind === "organisation" ? tables.organisationTypes : tables.eventTypes;
        const fixed = new Set(template.flatMap((t) => t.pattern.replace("{core}", "").split(/\s+/)).filter(Boolean));
        for (const w of e.name.split(" ")) if (!fixed.has(w)) out.push({ word: w, owner: e.id });
      }
    }
  }
  return out;
}

describe("generateWorld", () => {
  it("is a function of its seed", () => {
    const seed = freshSeed();
    const a = generateWorld(seed, SMALL);
    const b = generateWorld(seed, SMALL);
    expect(JSON.stringify(b), `seed ${seed}`).toBe(JSON.stringify(a));
    const c = generateWorld(seed + 1, SMALL);
    expect(JSON.stringify(c), `seed ${seed}`).not.toBe(JSON.stringify(a));
  });

  it("invents unique names that are not template words", () => {
    const seed = freshSeed();
    const world = generateWorld(seed);
    const names = world.entities.map((e) => e.name.toLowerCase());
    expect(new Set(names).size, `seed ${seed}`).toBe(names.length);
    const owners = new Map<string, string>();
    const template = new Set(tables.templateWords.map((w) => w.toLowerCase()));
    for (const { word, owner } of nameWords(world)) {
      const key = word.toLowerCase();
      expect(template.has(key), `seed ${seed}: ${owner} uses template word ${word}`).toBe(false);
      expect(owners.get(key), `seed ${seed}: ${word} used by ${owners.get(key)} and ${owner}`).toBeUndefined();
      owners.set(key, owner);
    }
  });

  it("keeps dates consistent and relations pointing at the right kinds", () => {
    const seed = freshSeed();
    const world = generateWorld(seed, SMALL);
    const byId = entitiesById(world);
    const get = <K extends Entity["kind"]>(id: string, kind: K) => {
      const e = byId.get(id);
      expect(e?.kind, `seed ${seed}: ${id} should be a ${kind}`).toBe(kind);
      return e as Extract<Entity, { kind: K }>;
    };
    for (const e of world.entities) {
      if (e.kind === "person") {
        expect(get(e.birthplaceId, "city").foundedYear, `seed ${seed}: ${e.id}`).toBeLessThan(e.birthYear);
        if (e.employerId) expect(get(e.employerId, "organisation").founderId).not.toBe(e.id);
      } else if (e.kind === "organisation") {
        const age = e.foundedYear - get(e.founderId, "person").birthYear;
        expect(age, `seed ${seed}: ${e.id}`).toBeGreaterThanOrEqual(25);
        expect(age, `seed ${seed}: ${e.id}`).toBeLessThanOrEqual(60);
        expect(get(e.headquartersId, "city").foundedYear).toBeLessThan(e.foundedYear);
      } else if (e.kind === "event") {
        expect(get(e.organiserId, "organisation").foundedYear, `seed ${seed}: ${e.id}`).toBeLessThan(e.year);
        expect(get(e.locationId, "city").foundedYear).toBeLessThan(e.year);
      } else if (e.kind === "country") {
        const cities = world.entities.filter((c) => c.kind === "city" && c.countryId === e.id);
        expect(get(e.capitalId, "city").countryId, `seed ${seed}: ${e.id}`).toBe(e.id);
        expect(e.population).toBe(cities.reduce((s, c) => s + (c.kind === "city" ? c.population : 0), 0));
      }
    }
    const founders = world.entities.flatMap((e) => (e.kind === "organisation" ? [e.founderId] : []));
    expect(new Set(founders).size, `seed ${seed}: each organisation has its own founder`).toBe(founders.length);
  });

  it("states every fact in its subject's document and not in the documents that point at it", () => {
    const seed = freshSeed();
    const world = generateWorld(seed, SMALL);
    const docs = new Map(renderCorpus(world).map((d) => [d.id, d]));
    const byId = entitiesById(world);
    expect(docs.size).toBe(world.entities.length);
    const perSubject = new Map<string, number>();
    for (const f of world.facts) {
      const doc = docs.get(f.subjectId);
      expect(doc?.text, `seed ${seed}: ${f.subjectId}.${f.predicate}`).toContain(f.valueText);
      perSubject.set(f.subjectId, (perSubject.get(f.subjectId) ?? 0) + 1);
      if (f.objectId === undefined) continue;
      // A second hop needs the object's own document: its river, currency and population are not repeated here.
      const object = byId.get(f.objectId)!;
      const secondHop = world.facts.filter((g) => g.subjectId === object.id && ["river", "currency", "population"].includes(g.predicate));
      for (const g of secondHop) expect(doc!.text, `seed ${seed}: ${f.subjectId} repeats ${object.id}.${g.predicate}`).not.toMatch(asWholeValue(g.valueText));
    }
    for (const e of world.entities) expect(perSubject.get(e.id), `seed ${seed}: ${e.id} has too few facts`).toBeGreaterThanOrEqual(3);
  });

  it("refuses sizes that cannot make a consistent world", () => {
    expect(() => generateWorld(1, { ...SMALL, cities: 2 })).toThrow(WorldSizeError);
    expect(() => generateWorld(1, { ...SMALL, people: 10 })).toThrow(/founder/);
  });
});
