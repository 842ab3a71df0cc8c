// Renders the fictional world as short encyclopedic documents, one per
// entity: its own attributes and its relations, never facts about other
// entities (a two-hop question needs two documents). Each entity gets one of
// a few phrasings, picked by a hash of its id so the rendering is stable.

import { entitiesById } from "./generate.ts";
import { article, capitalise, formatCount } from "./format.ts";
import type { City, CorpusDoc, Country, Entity, Organisation, Person, World, WorldEvent } from "./types.ts";

/** FNV-1a of a string, for picking a phrasing. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type Lookup = (id: string) => Entity;

function renderPerson(p: Person, name: Lookup): string {
  const place = name(p.birthplaceId).name;
  const she = capitalise(p.pronoun);
  const job = `${article(p.occupation)} ${p.occupation}`;
  const employer = p.employerId === undefined ? undefined : name(p.employerId).name;
  switch (hashId(p.id) % 3) {
    case 0:
      return `${p.name} is ${job} who was born in ${place} in ${p.birthYear}. ` +
        (employer ? `${p.familyName} works for the ${employer}.` : `${p.familyName} works independently.`);
    case 1:
      return `${p.name} (born ${p.birthYear}) is ${job}. ${she} was born in the city of ${place}. ` +
        (employer ? `${she} is employed by the ${employer}.` : `${she} has never been employed by an organisation.`);
    default:
      return `Born in ${p.birthYear} in ${place}, ${p.name} is ${job}. ` +
        (employer ? `${p.familyName} is a member of the staff of the ${employer}.` : `${p.familyName} works independently.`);
  }
}

function renderCity(c: City, name: Lookup): string {
  const country = name(c.countryId).name;
  const people = formatCount(c.population);
  switch (hashId(c.id) % 3) {
    case 0:
      return `${c.name} is a city in ${country}, on the ${c.river} river. It was founded in ${c.foundedYear} and has a population of ${people}.`;
    case 1:
      return `${c.name} lies on the banks of the ${c.river} river in ${country}. Founded in ${c.foundedYear}, the city is home to ${people} people.`;
    default:
      return `The city of ${c.name}, in ${country}, was founded in ${c.foundedYear}. ${c.name} sits on the ${c.river} river and has ${people} inhabitants.`;
  }
}

function renderCountry(c: Country, name: Lookup): string {
  const capital = name(c.capitalId).name;
  const people = formatCount(c.population);
  if (hashId(c.id) % 2 === 0) {
    return `${c.name} is a country whose capital is ${capital}. Its currency is the ${c.currency}, and its population is ${people}.`;
  }
  return `The capital of ${c.name} is ${capital}. ${c.name} has a population of ${people} and uses the ${c.currency} as its currency.`;
}

function renderOrganisation(o: Organisation, name: Lookup): string {
  const founder = name(o.founderId).name;
  const hq = name(o.headquartersId).name;
  const kind = `${article(o.orgType)} ${o.orgType}`;
  switch (hashId(o.id) % 3) {
    case 0:
      return `The ${o.name} is ${kind} founded in ${o.foundedYear} by ${founder}. Its headquarters are in ${hq}.`;
    case 1:
      return `${founder} established the ${o.name}, ${kind}, in ${o.foundedYear}. The ${o.name} is based in ${hq}.`;
    default:
      return `The ${o.name} (${o.orgType}) was founded by ${founder} in ${o.foundedYear} and has its seat in ${hq}.`;
  }
}

function renderEvent(e: WorldEvent, name: Lookup): string {
  const place = name(e.locationId).name;
  const organiser = name(e.organiserId).name;
  const kind = `${article(e.eventType)} ${e.eventType}`;
  if (hashId(e.id) % 2 === 0) {
    return `The ${e.name} was ${kind} held in ${place} in ${e.year}. It was organised by the ${organiser}.`;
  }
  return `In ${e.year}, the ${organiser} organised the ${e.name}, ${kind} that took place in ${place}.`;
}

/**
 * The document of one entity: `{id: entity id, title: entity name, text}`.
 * @param lookup resolves relation targets (ids) to entities.
 */
export function renderDocument(entity: Entity, lookup: Lookup): CorpusDoc {
  let text: string;
  switch (entity.kind) {
    case "person": text = renderPerson(entity, lookup); break;
    case "city": text = renderCity(entity, lookup); break;
    case "country": text = renderCountry(entity, lookup); break;
    case "organisation": text = renderOrganisation(entity, lookup); break;
    case "event": text = renderEvent(entity, lookup); break;
  }
  return { id: entity.id, title: entity.name, text };
}

/** One document per entity, in the world's entity order. */
export function renderCorpus(world: World): CorpusDoc[] {
  const byId = entitiesById(world);
  const lookup: Lookup = (id) => {
    const e = byId.get(id);
    if (!e) throw new Error(`the world has no entity ${id}: it was built by a different generator version`);
    return e;
  };
  return world.entities.map((e) => renderDocument(e, lookup));
}

/** Documents as JSONL: one `{"id","title","text"}` object per line, each line ending in "\n". */
export function corpusToJsonl(docs: readonly CorpusDoc[]): string {
  return docs.map((d) => JSON.stringify({ id: d.id, title: d.title, text: d.text }) + "\n").join("");
}
