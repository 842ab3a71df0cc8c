// The tiny level's fact questions, over the tiny world (world/tiny_world.ts):
//   one hop:  "Where does Kalo live?", "Who is the friend of Kalo?", "Which river flows through Torven?"
//   two hops: "Where does the friend of Kalo live?", "Which river flows through the town where Kalo lives?"
// Evidence lists the documents to read, in order (ids are the tiny world's); a
// two-hop question is left out when its answer is already in the first document.
import type { FactQuestion } from "./fact_questions.ts";
import type { TinyWorld } from "./world/tiny_world.ts";

/** Every tiny fact question of `world`, in a fixed order (people, then towns). */
export function tinyFactQuestionPool(world: TinyWorld): FactQuestion[] {
  const town = new Map(world.towns.map((t) => [t.id, t]));
  const person = new Map(world.people.map((p) => [p.id, p]));
  const out: FactQuestion[] = [];
  const ask = (question: string, answer: string, evidence: string[]) =>
    out.push({ question, answers: [answer], kind: "qa", hops: evidence.length as 1 | 2, evidence, named: [evidence[0]!] });
  for (const p of world.people) {
    const home = town.get(p.townId)!;
    const friend = person.get(p.friendId)!;
    ask(`Where does ${p.name} live?`, home.name, [p.id]);
    ask(`Who is the friend of ${p.name}?`, friend.name, [p.id]);
    if (friend.townId !== p.townId) ask(`Where does the friend of ${p.name} live?`, town.get(friend.townId)!.name, [p.id, friend.id]);
    ask(`Which river flows through the town where ${p.name} lives?`, home.river, [p.id, home.id]);
  }
  for (const t of world.towns) ask(`Which river flows through ${t.name}?`, t.river, [t.id]);
  return out;
}
