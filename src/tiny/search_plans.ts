// The searches a demonstration makes for a built-in fact or mixed question
// (of `world`, or of a tiny world for the tiny level):
// the entity names to look up, in order (searching a name returns that
// entity's document first in the bundled index), and for mixed questions the
// two numbers those documents state and how to combine them in Python.
import { factQuestionPool } from "../tasks/fact_questions";
import { tinyFactQuestionPool } from "../tasks/tiny_fact_questions";
import { bundledTinyWorld } from "../tasks/world/bundled";
import type { TinyWorld } from "../tasks/world/tiny_world";
import templates from "../tasks/fact_templates.json";
import { formatCount } from "../tasks/world/format";
import { entitiesById } from "../tasks/world/generate";
import type { Entity, Organisation, Person, World } from "../tasks/world/types";

/** Names to search, in order, and (mixed questions) the code that combines what they say. */
export type SearchPlan = {
  queries: string[];
  /** Mixed questions: the numbers as the documents write them (values[i] in the response to queries[i]), and the code over them. */
  combine?: { values: string[]; code: string; printed: string };
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A mixed template as a regex with one (.+) per {slot}, and the slot names in order. */
function templateRegex(template: string): { re: RegExp; slots: string[] } {
  const slots: string[] = [];
  const body = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const slot = /^\{(\w+)\}$/.exec(part);
      if (!slot) return escapeRegex(part);
      slots.push(slot[1]!);
      return "(.+)";
    })
    .join("");
  return { re: new RegExp(`^${body}$`), slots };
}

const yearOf = (e: Entity): number | undefined =>
  e.kind === "person" ? e.birthYear : e.kind === "city" || e.kind === "organisation" ? e.foundedYear : e.kind === "event" ? e.year : undefined;

/** Plans for every fact and mixed question of one world (built once, then looked up by question text). */
export class SearchPlanner {
  private readonly facts = new Map<string, string[]>();
  private readonly tinyFacts = new Map<string, string[]>();
  private readonly byName = new Map<string, Entity>();
  private readonly byId: Map<string, Entity>;
  private readonly mixed = Object.entries(templates.mixed).map(([name, t]) => ({ name, ...templateRegex(t) }));

  constructor(
    readonly world: World,
    tinyWorld: TinyWorld = bundledTinyWorld(),
  ) {
    this.byId = entitiesById(world);
    for (const e of world.entities) if (!this.byName.has(e.name)) this.byName.set(e.name, e);
    for (const q of factQuestionPool(world)) {
      if (!this.facts.has(q.question)) this.facts.set(q.question, q.evidence.map((id) => this.byId.get(id)!.name));
    }
    this.useTinyWorld(tinyWorld);
  }

  /** Plans tiny-level fact questions over `tiny` from now on (the build draws a fresh tiny world every round). */
  useTinyWorld(tiny: TinyWorld): void {
    const names = new Map([...tiny.people, ...tiny.towns].map((e) => [e.id, e.name]));
    this.tinyFacts.clear();
    for (const q of tinyFactQuestionPool(tiny)) {
      if (!this.tinyFacts.has(q.question)) this.tinyFacts.set(q.question, q.evidence.map((id) => names.get(id)!));
    }
  }

  /** The plan for a fact (fact1, fact2) or mixed question, or undefined when the question is not one of the worlds'. */
  plan(question: string): SearchPlan | undefined {
    const evidence = this.tinyFacts.get(question) ?? this.facts.get(question);
    if (evidence) return { queries: evidence };
    for (const t of this.mixed) {
      const m = t.re.exec(question);
      if (!m) continue;
      const named = Object.fromEntries(t.slots.map((s, i) => [s, this.byName.get(m[i + 1]!)]));
      const plan = this.mixedPlan(t.name, named);
      if (plan) return plan;
    }
    return undefined;
  }

  private mixedPlan(template: string, named: Record<string, Entity | undefined>): SearchPlan | undefined {
    const difference = (first: Entity | undefined, second: Entity | undefined): SearchPlan | undefined => {
      const [a, b] = [first && yearOf(first), second && yearOf(second)];
      if (!first || !second || a === undefined || b === undefined) return undefined;
      return { queries: [first.name, second.name], combine: { values: [String(a), String(b)], code: `print(${b}-${a})`, printed: `${b - a}\n` } };
    };
    switch (template) {
      case "birthToFounding":
        return difference(named.person, named.organisation);
      case "cityToEvent":
        return difference(named.city, named.event);
      case "founderAge": {
        // Search the organisation first: its document names the founder, whose document gives the birth year.
        const org = named.organisation as Organisation | undefined;
        const founder = org && (this.byId.get(org.founderId) as Person | undefined);
        const plan = difference(founder, org);
        if (!plan?.combine || !org || !founder) return undefined;
        const [birth, founded] = plan.combine.values as [string, string];
        return { queries: [org.name, founder.name], combine: { ...plan.combine, values: [founded, birth] } };
      }
      case "combinedPopulation": {
        const [a, b] = [named.city, named.city2];
        if (a?.kind !== "city" || b?.kind !== "city") return undefined;
        const sum = a.population + b.population;
        return {
          queries: [a.name, b.name],
          combine: { values: [formatCount(a.population), formatCount(b.population)], code: `print(${a.population}+${b.population})`, printed: `${sum}\n` },
        };
      }
      default:
        return undefined;
    }
  }
}
