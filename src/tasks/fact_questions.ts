// Fact questions about the fictional world, answerable only by searching the
// bundled corpus: one hop (a fact stated in the document of the entity the
// question names) and two hops (a relation in that document leads to a second
// entity whose own document holds the answer). Gold answers are the facts'
// value text, exactly as the documents write it.

import { entitiesById } from "./world/generate.ts";
import { renderCorpus } from "./world/render.ts";
import type { Entity, Fact, World } from "./world/types.ts";
import templates from "./fact_templates.json";
import type { DraftQuestion } from "./compute_questions.ts";

/** A fact question with what it rests on: `evidence` lists the documents to read, in order; `named` the entities the question names. */
export type FactQuestion = DraftQuestion & { hops: 1 | 2; evidence: string[]; named: string[] };

const questionTemplates: Record<string, string> = templates.questions;
const hopTemplates: Record<string, string> = templates.hops;
const subjectRefs: Record<string, string> = templates.subjectRef;

/** How a question names an entity: "the city of X", "the University of Y", a person's name. */
export function subjectRef(entity: Entity): string {
  return subjectRefs[entity.kind]!.replace("{name}", entity.name);
}

function askAbout(entity: Entity, fact: Fact, subject: string): string | undefined {
  const template = questionTemplates[`${entity.kind}.${fact.predicate}`];
  return template?.replace("{s}", subject);
}

/**
 * Every one-hop and two-hop question the world allows, in a fixed order.
 * Two-hop questions are left out when the answer already appears in the first
 * document or in the question, or when the second hop leads back to the first entity.
 * @returns questions with their evidence documents (ids equal entity ids).
 */
export function factQuestionPool(world: World): FactQuestion[] {
  const byId = entitiesById(world);
  const docs = new Map(renderCorpus(world).map((d) => [d.id, d.text]));
  const factsOf = new Map<string, Fact[]>();
  for (const f of world.facts) {
    const list = factsOf.get(f.subjectId) ?? [];
    list.push(f);
    factsOf.set(f.subjectId, list);
  }
  const out: FactQuestion[] = [];
  for (const subject of world.entities) {
    for (const fact of factsOf.get(subject.id) ?? []) {
      const question = askAbout(subject, fact, subjectRef(subject));
      if (question && !question.includes(fact.valueText)) {
        out.push({ question, answers: [fact.valueText], kind: "qa", hops: 1, evidence: [subject.id], named: [subject.id] });
      }
      const hop = hopTemplates[`${subject.kind}.${fact.predicate}`];
      if (!hop || fact.objectId === undefined) continue;
      const middle = byId.get(fact.objectId)!;
      const described = hop.replace("{s}", subjectRef(subject));
      for (const second of factsOf.get(middle.id) ?? []) {
        if (second.objectId === subject.id) continue;
        const twoHop = askAbout(middle, second, described);
        if (!twoHop || twoHop.includes(second.valueText)) continue;
        if (docs.get(subject.id)!.includes(second.valueText)) continue;
        out.push({ question: twoHop, answers: [second.valueText], kind: "qa", hops: 2, evidence: [subject.id, middle.id], named: [subject.id] });
      }
    }
  }
  return out;
}
