// How compared runs' settings differ: each run's request flattened to one
// text a setting (DAPO settings in full, with the defaults a request left
// out filled in, so "left at its default" and "set to the default" agree),
// and the settings whose texts are not all the same. Pure, tested in Node.
import type { TrainRequest } from "../../protocol/run";
import { DEFAULT_LORA } from "../../protocol/lora";
import { resolveDapoConfig } from "../../rl/config";

export type DiffRun = { label: string; model: string; request: TrainRequest };
export type DiffRow = { setting: string; values: string[] };

/** What a run trains on, in a few words. */
function tasksText(tasks: TrainRequest["tasks"]): string {
  if (tasks.kind === "tasks") return `${tasks.label} (${tasks.train.length} train, ${tasks.test.length} held out)`;
  const counts = tasks.counts ? `, ${Object.entries(tasks.counts).map(([c, n]) => `${c} ${n}`).join(", ")}` : "";
  return `built-in, ${tasks.level ?? "full"} level, seed ${tasks.seed}${counts}`;
}

function valueText(v: unknown): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(+v.toPrecision(6));
  return JSON.stringify(v);
}

/** One run's settings as texts, in a stable order. */
export function flattenSettings(run: DiffRun): Map<string, string> {
  const r = run.request;
  const out = new Map<string, string>([
    ["model", run.model],
    ["tasks", tasksText(r.tasks)],
    ["steps", valueText(r.steps)],
    ["seed", valueText(r.seed)],
    ["format", typeof r.format === "object" ? "tapo, with overrides" : (r.format ?? "tapo")],
    ["search backend", r.searchBackend ?? "local"],
    ["evaluate every", valueText(r.evalEvery)],
    ["evaluation tasks", valueText(r.evalTasks)],
    ["evaluation samples", valueText(r.evalSamples ?? 0)],
  ]);
  const lora = r.lora ?? DEFAULT_LORA;
  out.set("LoRA r", valueText(lora.r));
  out.set("LoRA alpha", valueText(lora.alpha));
  out.set("LoRA targets", lora.targets.join(","));
  let config: Record<string, unknown>;
  try {
    config = resolveDapoConfig(r.config) as unknown as Record<string, unknown>;
  } catch {
    config = r.config; // a run saved by another version: show what it asked for
  }
  for (const [key, v] of Object.entries(config)) out.set(key, valueText(v));
  return out;
}

/** The settings whose values are not the same in every run (all of them when `all`), one value a run. */
export function settingsDiff(runs: readonly DiffRun[], all = false): DiffRow[] {
  const flat = runs.map(flattenSettings);
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  return keys
    .map((setting) => ({ setting, values: flat.map((m) => m.get(setting) ?? "—") }))
    .filter((row) => all || new Set(row.values).size > 1);
}
