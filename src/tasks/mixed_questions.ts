// Mixed questions: search the bundled corpus for two facts, then compute
// with them (years between two dates of the fictional world, a combined
// population). Every entity a question names is in the requested split.

import { intIn, type DraftQuestion, type Rand } from "./compute_questions.ts";
import { splitOfEntity } from "./split.ts";
import { formatCount } from "./world/format.ts";
import { entitiesById } from "./world/generate.ts";
import type { City, Entity, Fact, Organisation, Person, World, WorldEvent } from "./world/types.ts";
import templates from "./fact_templates.json";
import type { TaskSplit } from "../protocol/tasks.ts";

/**
 * A mixed question with what it rests on: `facts` are the two facts to look up
 * (each stated in the document of its subject); the answer is facts[1] − facts[0]
 * for "difference" and their sum for "sum".
 */
export type MixedQuestion = DraftQuestion & { facts: [Fact, Fact]; combine: "difference" | "sum"; named: string[] };

function yearFact(entity: Person | City | Organisation | WorldEvent): Fact {
  switch (entity.kind) {
    case "person": return { subjectId: entity.id, predicate: "birth_year", value: entity.birthYear, valueText: String(entity.birthYear) };
    case "city": return { subjectId: entity.id, predicate: "founded_year", value: entity.foundedYear, valueText: String(entity.foundedYear) };
    case "organisation": return { subjectId: entity.id, predicate: "founded_year", value: entity.foundedYear, valueText: String(entity.foundedYear) };
    case "event": return { subjectId: entity.id, predicate: "year", value: entity.year, valueText: String(entity.year) };
  }
}

function pick<T>(rand: Rand, items: readonly T[]): T | undefined {
  return items[Math.floor(rand() * items.length)];
}

function difference(question: string, first: Fact, second: Fact, named: string[]): MixedQuestion | undefined {
  const years = Number(second.value) - Number(first.value);
  if (years <= 0) return undefined;
  return { question, answers: [String(years)], kind: "math", facts: [first, second], combine: "difference", named };
}

/**
 * A sampler of mixed questions naming only entities of `split`.
 * @returns a function that draws one question, or undefined when the draw did not fit (the caller draws again).
 */
export function mixedSampler(world: World, split: TaskSplit): (rand: Rand) => MixedQuestion | undefined {
  const mine = (e: Entity) => splitOfEntity(e.id) === split;
  const people = world.entities.filter((e): e is Person => e.kind === "person" && mine(e));
  const cities = world.entities.filter((e): e is City => e.kind === "city" && mine(e));
  const orgs = world.entities.filter((e): e is Organisation => e.kind === "organisation" && mine(e));
  const events = world.entities.filter((e): e is WorldEvent => e.kind === "event" && mine(e));
  const byId = entitiesById(world);
  const t = templates.mixed;
  return (rand) => {
    switch (intIn(rand, 0, 3)) {
      case 0: {
        const [p, o] = [pick(rand, people), pick(rand, orgs)];
        if (!p || !o) return undefined;
        const q = t.birthToFounding.replace("{person}", p.name).replace("{organisation}", o.name);
        return difference(q, yearFact(p), yearFact(o), [p.id, o.id]);
      }
      case 1: {
        const [c, e] = [pick(rand, cities), pick(rand, events)];
        if (!c || !e) return undefined;
        const q = t.cityToEvent.replace("{city}", c.name).replace("{event}", e.name);
        return difference(q, yearFact(c), yearFact(e), [c.id, e.id]);
      }
      case 2: {
        const o = pick(rand, orgs);
        if (!o) return undefined;
        const founder = byId.get(o.founderId) as Person;
        return difference(t.founderAge.replace("{organisation}", o.name), yearFact(founder), yearFact(o), [o.id]);
      }
      default: {
        const [a, b] = [pick(rand, cities), pick(rand, cities)];
        if (!a || !b || a.id === b.id) return undefined;
        const facts: [Fact, Fact] = [a, b].map((c) => ({
          subjectId: c.id, predicate: "population", value: c.population, valueText: formatCount(c.population),
        })) as [Fact, Fact];
        const sum = a.population + b.population;
        const question = t.combinedPopulation.replace("{city}", a.name).replace("{city2}", b.name);
        return { question, answers: [formatCount(sum), String(sum)], kind: "math", facts, combine: "sum", named: [a.id, b.id] };
      }
    }
  };
}
