// The fact list of a world: every attribute and relation of every entity as
// a (subject, predicate, value) triple, with the text its document uses.

import { formatCount } from "./format.ts";
import type { Entity, Fact, Predicate } from "./types.ts";

/**
 * Lists every fact of `entities`, subjects in the given order.
 * @param entities the world's entities; relation targets must be among them.
 * @returns facts; relation facts carry `objectId` and the object's name as value.
 */
export function worldFacts(entities: readonly Entity[]): Fact[] {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const facts: Fact[] = [];
  const attr = (s: Entity, predicate: Predicate, value: string | number, valueText = String(value)) => {
    facts.push({ subjectId: s.id, predicate, value, valueText });
  };
  const rel = (s: Entity, predicate: Predicate, objectId: string) => {
    const object = byId.get(objectId);
    if (!object) throw new Error(`${s.id}.${predicate} points at ${objectId}, which is not in the world`);
    facts.push({ subjectId: s.id, predicate, value: object.name, valueText: object.name, objectId });
  };
  for (const e of entities) {
    switch (e.kind) {
      case "country":
        rel(e, "capital", e.capitalId);
        attr(e, "currency", e.currency);
        attr(e, "population", e.population, formatCount(e.population));
        break;
      case "city":
        rel(e, "country", e.countryId);
        attr(e, "population", e.population, formatCount(e.population));
        attr(e, "founded_year", e.foundedYear);
        attr(e, "river", e.river);
        break;
      case "person":
        attr(e, "birth_year", e.birthYear);
        rel(e, "birthplace", e.birthplaceId);
        attr(e, "occupation", e.occupation);
        if (e.employerId !== undefined) rel(e, "employer", e.employerId);
        break;
      case "organisation":
        attr(e, "organisation_type", e.orgType);
        rel(e, "founder", e.founderId);
        rel(e, "headquarters", e.headquartersId);
        attr(e, "founded_year", e.foundedYear);
        break;
      case "event":
        attr(e, "event_type", e.eventType);
        attr(e, "year", e.year);
        rel(e, "location", e.locationId);
        rel(e, "organiser", e.organiserId);
        break;
    }
  }
  return facts;
}
