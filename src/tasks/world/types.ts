// The fictional world behind the bundled search corpus: entities (people,
// cities, countries, organisations, events), the facts that hold about them,
// and the documents that state those facts. A question generator reads
// `World.facts` to ask one-hop questions (one fact) and two-hop questions (a
// relation fact followed by a fact about its object).

export type EntityKind = "person" | "city" | "country" | "organisation" | "event";

export type Person = {
  kind: "person";
  id: string;
  name: string;
  givenName: string;
  familyName: string;
  pronoun: "she" | "he";
  birthYear: number;
  /** A city id. */
  birthplaceId: string;
  occupation: string;
  /** An organisation id; absent for people who work for none. */
  employerId?: string;
};

export type City = {
  kind: "city";
  id: string;
  name: string;
  /** A country id. */
  countryId: string;
  population: number;
  foundedYear: number;
  river: string;
};

export type Country = {
  kind: "country";
  id: string;
  name: string;
  /** A city id (a city of this country). */
  capitalId: string;
  currency: string;
  population: number;
};

export type Organisation = {
  kind: "organisation";
  id: string;
  name: string;
  orgType: string;
  /** A person id; the founder was 25–60 years old at the founding. */
  founderId: string;
  /** A city id. */
  headquartersId: string;
  foundedYear: number;
};

export type WorldEvent = {
  kind: "event";
  id: string;
  name: string;
  eventType: string;
  year: number;
  /** A city id. */
  locationId: string;
  /** An organisation id, founded before the event. */
  organiserId: string;
};

export type Entity = Person | City | Country | Organisation | WorldEvent;

/** Every predicate a fact can carry. Relation predicates point at another entity (`objectId`). */
export type Predicate =
  | "birth_year"
  | "birthplace"
  | "occupation"
  | "employer"
  | "country"
  | "population"
  | "founded_year"
  | "river"
  | "capital"
  | "currency"
  | "organisation_type"
  | "founder"
  | "headquarters"
  | "event_type"
  | "year"
  | "location"
  | "organiser";

/**
 * One fact: `subjectId` has `predicate` = `value`. It is stated in the document
 * whose id is `subjectId`, where `valueText` appears verbatim. For relations,
 * `objectId` is the entity the value names (a second hop reads that entity's document).
 */
export type Fact = {
  subjectId: string;
  predicate: Predicate;
  value: string | number;
  valueText: string;
  objectId?: string;
};

/** One corpus document, the JSONL row format of search corpora: `{id, title, text}`. */
export type CorpusDoc = { id: string; title: string; text: string };

export type World = {
  seed: number;
  entities: Entity[];
  facts: Fact[];
};

/** How many entities of each kind a world holds. */
export type WorldSizes = {
  countries: number;
  cities: number;
  organisations: number;
  people: number;
  events: number;
};
