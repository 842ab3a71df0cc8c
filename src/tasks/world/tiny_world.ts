// The tiny level's fact world: people and towns whose names are two syllables
// of the tiny level's made-up words ("Kalo", "Renmar"), with one short
// document each. The bundled tiny model (148k parameters) copies such a word
// from its context reliably, where the full world's long names ("Droulekaend
// Shipping Company") are beyond it; so tiny fact questions ask about this
// world, and its documents sit in the bundled corpus beside the full world's.
//   person: "Kalo lives in Torven. The friend of Kalo is Vobel."
//   town:   "Torven is a town on the river Sulmi."
// One hop asks where someone lives, who their friend is, or a town's river;
// two hops ask where a friend lives, or the river of someone's town.
import { mulberry32 } from "../../util/random.ts";
import type { CorpusDoc } from "./types.ts";

/** The syllables of the tiny level's made-up words (easy questions, and this world's names). */
export const TINY_SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "bel", "dor", "fi", "gan", "hu", "jel", "mar", "nos", "pe", "quil", "ro", "sul", "tor", "ul", "ven", "wy", "zar", "ei"];

export type TinyPerson = { id: string; name: string; townId: string; friendId: string };
export type TinyTown = { id: string; name: string; river: string };
export type TinyWorld = { people: TinyPerson[]; towns: TinyTown[] };
export type TinyWorldSizes = { people: number; towns: number };

/** Seed and sizes of the tiny world in the bundled corpus (changing them means `npm run build:corpus` and a new tiny model). */
export const TINY_WORLD_SEED = 20261207;
export const TINY_WORLD_SIZES: TinyWorldSizes = { people: 360, towns: 24 };

/** Names of two syllables; 24² = 576 exist, a world uses people + 2·towns of them. */
function nameDrawer(rand: () => number, reserved: ReadonlySet<string>): () => string {
  const used = new Set(reserved);
  return () => {
    for (let tries = 0; tries < 10_000; tries++) {
      const word = [0, 1].map(() => TINY_SYLLABLES[Math.floor(rand() * TINY_SYLLABLES.length)]!).join("");
      if (used.has(word)) continue;
      used.add(word);
      return word[0]!.toUpperCase() + word.slice(1);
    }
    throw new Error("the tiny world ran out of two-syllable names: lower TINY_WORLD_SIZES");
  };
}

/**
 * The tiny world of `seed`: every person lives in a town and has a friend (another person); every
 * town has a river. Names are unique and avoid `reserved`
 * (lower-case words of other documents, so a search for a name finds its own document).
 */
export function generateTinyWorld(seed: number, reserved: ReadonlySet<string> = new Set(), sizes: TinyWorldSizes = TINY_WORLD_SIZES): TinyWorld {
  if (sizes.towns < 2 || sizes.people < 2 || sizes.people + 2 * sizes.towns > TINY_SYLLABLES.length ** 2) {
    throw new RangeError(`a tiny world needs 2+ towns and 2+ people, at most ${TINY_SYLLABLES.length ** 2} names in all; got ${JSON.stringify(sizes)}`);
  }
  const rand = mulberry32(seed >>> 0);
  const name = nameDrawer(rand, reserved);
  const pad = (i: number, n: number) => String(i).padStart(n, "0");
  const towns = Array.from({ length: sizes.towns }, (_, i) => ({ id: `tiny-town-${pad(i, 2)}`, name: name(), river: name() }));
  const people = Array.from({ length: sizes.people }, (_, i) => ({ id: `tiny-person-${pad(i, 3)}`, name: name(), townId: towns[Math.floor(rand() * towns.length)]!.id, friendId: "" }));
  for (const [i, p] of people.entries()) {
    let j = Math.floor(rand() * (people.length - 1));
    if (j >= i) j++;
    p.friendId = people[j]!.id;
  }
  return { people, towns };
}

/** One document per person, then one per town. */
export function renderTinyCorpus(world: TinyWorld): CorpusDoc[] {
  const town = new Map(world.towns.map((t) => [t.id, t]));
  const person = new Map(world.people.map((p) => [p.id, p]));
  return [
    ...world.people.map((p) => ({ id: p.id, title: p.name, text: `${p.name} lives in ${town.get(p.townId)!.name}. The friend of ${p.name} is ${person.get(p.friendId)!.name}.` })),
    ...world.towns.map((t) => ({ id: t.id, title: t.name, text: `${t.name} is a town on the river ${t.river}.` })),
  ];
}
