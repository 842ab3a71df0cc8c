// Seeded generator of the fictional world: countries, cities, people,
// organisations and events with consistent dates (a person is born after their
// birthplace was founded, a founder is 25–60 at the founding, an event comes
// after its organiser's founding). Same seed and sizes -> the same world.

import { mulberry32 } from "../../util/random.ts";
import { worldFacts } from "./facts.ts";
import { NameRegistry } from "./names.ts";
import type { City, Country, Entity, Organisation, Person, World, WorldEvent, WorldSizes } from "./types.ts";
import tables from "./world_tables.json";

/** The sizes of the bundled world: about 1,400 documents. */
export const DEFAULT_WORLD_SIZES: WorldSizes = { countries: 12, cities: 150, organisations: 200, people: 850, events: 200 };

/** Thrown when sizes cannot make a consistent world (e.g. fewer cities than countries). */
export class WorldSizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldSizeError";
  }
}

type Rand = () => number;

function intIn(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

function pickOf<T>(rand: Rand, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new WorldSizeError("asked to pick from an empty list: raise the world sizes");
  return item;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * Builds a world from a seed.
 * @param seed 32-bit seed; the whole world is a function of (seed, sizes).
 * @param sizes entity counts per kind (defaults: DEFAULT_WORLD_SIZES).
 * @returns entities in a fixed order (countries, cities, people, organisations, events) and their facts.
 */
export function generateWorld(seed: number, sizes: WorldSizes = DEFAULT_WORLD_SIZES): World {
  if (sizes.countries < 1 || sizes.cities < sizes.countries) {
    throw new WorldSizeError(`a world needs at least one country and a city per country; got ${sizes.countries} countries and ${sizes.cities} cities`);
  }
  if (sizes.organisations > sizes.people) {
    throw new WorldSizeError(`each organisation has its own founder, so people (${sizes.people}) must be at least organisations (${sizes.organisations})`);
  }
  if (sizes.events > 0 && sizes.organisations < 1) throw new WorldSizeError("events need at least one organisation to organise them");
  const rand = mulberry32(seed);
  const names = new NameRegistry(rand);

  const countries: Country[] = [];
  for (let i = 0; i < sizes.countries; i++) {
    countries.push({ kind: "country", id: `country-${pad(i, 3)}`, name: names.next(), capitalId: "", currency: names.next(), population: 0 });
  }

  const cities: City[] = [];
  for (let i = 0; i < sizes.cities; i++) {
    const country = i < countries.length ? countries[i]! : pickOf(rand, countries);
    // Log-uniform between 2,000 and 2,000,000, rounded to hundreds.
    const population = Math.round((2000 * Math.pow(1000, rand())) / 100) * 100;
    cities.push({
      kind: "city",
      id: `city-${pad(i, 3)}`,
      name: names.next(),
      countryId: country.id,
      population,
      foundedYear: intIn(rand, 700, 1690),
      river: names.next(),
    });
  }
  for (const country of countries) {
    const own = cities.filter((c) => c.countryId === country.id);
    const capital = own.reduce((a, b) => (b.population > a.population ? b : a));
    country.capitalId = capital.id;
    country.population = own.reduce((sum, c) => sum + c.population, 0);
  }

  const givenNames: string[] = [];
  for (let i = 0; i < tables.givenNames; i++) givenNames.push(names.next());

  const people: Person[] = [];
  for (let i = 0; i < sizes.people; i++) {
    const givenName = pickOf(rand, givenNames);
    const familyName = names.next();
    const birthYear = intIn(rand, 1700, 1960);
    const birthplace = pickOf(rand, cities.filter((c) => c.foundedYear < birthYear));
    people.push({
      kind: "person",
      id: `person-${pad(i, 4)}`,
      name: `${givenName} ${familyName}`,
      givenName,
      familyName,
      pronoun: rand() < 0.5 ? "she" : "he",
      birthYear,
      birthplaceId: birthplace.id,
      occupation: pickOf(rand, tables.occupations),
    });
  }

  const organisations: Organisation[] = [];
  const founderPool = [...people];
  for (let i = 0; i < sizes.organisations; i++) {
    const founder = founderPool.splice(Math.floor(rand() * founderPool.length), 1)[0]!;
    // Founded between the founder's 25th and 60th year, and no later than 1990.
    const foundedYear = founder.birthYear + intIn(rand, 25, Math.min(60, 1990 - founder.birthYear));
    const orgType = pickOf(rand, tables.organisationTypes);
    const headquarters = pickOf(rand, cities.filter((c) => c.foundedYear < foundedYear));
    organisations.push({
      kind: "organisation",
      id: `org-${pad(i, 3)}`,
      name: orgType.pattern.replace("{core}", names.next()),
      orgType: orgType.type,
      founderId: founder.id,
      headquartersId: headquarters.id,
      foundedYear,
    });
  }

  for (const person of people) {
    if (rand() >= 0.7) continue;
    const open = organisations.filter((o) => o.foundedYear <= person.birthYear + 40 && o.founderId !== person.id);
    if (open.length > 0) person.employerId = pickOf(rand, open).id;
  }

  const events: WorldEvent[] = [];
  for (let i = 0; i < sizes.events; i++) {
    const organiser = pickOf(rand, organisations);
    const year = organiser.foundedYear + intIn(rand, 1, Math.min(120, 2020 - organiser.foundedYear));
    const eventType = pickOf(rand, tables.eventTypes);
    const location = pickOf(rand, cities.filter((c) => c.foundedYear < year));
    events.push({
      kind: "event",
      id: `event-${pad(i, 3)}`,
      name: eventType.pattern.replace("{core}", names.next()),
      eventType: eventType.type,
      year,
      locationId: location.id,
      organiserId: organiser.id,
    });
  }

  const entities: Entity[] = [...countries, ...cities, ...people, ...organisations, ...events];
  return { seed, entities, facts: worldFacts(entities) };
}

/** Index of a world's entities by id. */
export function entitiesById(world: World): Map<string, Entity> {
  return new Map(world.entities.map((e) => [e.id, e]));
}
