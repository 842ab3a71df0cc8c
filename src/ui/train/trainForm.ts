// The Train page's form as data: the fields (every DapoConfig setting, grouped,
// plus the run's own settings), the page's small defaults for the bundled tiny
// model, and the reading of what the user typed into a TrainRequest, with every
// problem stated (resolveDapoConfig's messages included).
import learning from "../../bench/learning_settings.json";
import { DapoConfigError, DAPO_CONFIG_DOC, DEFAULT_DAPO_CONFIG, resolveDapoConfig } from "../../rl/config";
import { type DapoConfig } from "../../protocol/dapo_config";
import { DEFAULT_LORA, LINEAR_NAMES, type LinearName, parseLoraTargets } from "../../protocol/lora";
import type { TrainRequest } from "../../protocol/run";

export type ConfigKey = keyof DapoConfig;

/** What the user typed: numbers as text (so "1e-" can be typed), switches as booleans, choices as text. */
export type FormValues = Record<string, string | boolean>;

/**
 * The learning benchmark's settings (src/bench/learning_settings.json), which train the bundled tiny
 * model on a CPU-backed WebGPU in minutes and visibly raise its accuracy; the reference values stay
 * visible in each field's help. Keys the config does not have are ignored.
 */
const PAGE_CONFIG: Record<string, number | boolean | string> = learning.dapo;

/** The run's own settings (TrainRequest fields other than the DAPO config). */
export const RUN_FIELDS = [
  { key: "steps", label: "Steps", doc: "Optimizer steps to run in all (a resumed run continues up to this).", initial: learning.steps, min: 1 },
  { key: "seed", label: "Seed", doc: "Seeds task order and sampling, so a run can be repeated.", initial: learning.seed, min: 0 },
  { key: "evalEvery", label: "Evaluate every", doc: "Held-out evaluation every N steps; 0 evaluates only before and after training.", initial: learning.evalEvery, min: 0 },
  { key: "evalTasks", label: "Evaluation tasks", doc: "Held-out tasks per evaluation (one greedy answer each, and the samples below).", initial: learning.evalTasks, min: 1 },
  {
    key: "evalSamples",
    label: "Samples per evaluation task",
    doc: "Answers sampled at the training temperature per held-out task, besides the greedy one: their mean accuracy (avg@k) is steadier than one greedy answer; 0 evaluates greedy only.",
    initial: learning.evalSamples,
    min: 0,
  },
  { key: "checkpointEvery", label: "Checkpoint every", doc: "Saves the adapter and optimizer every N steps (and at the end), so the run survives a reload.", initial: 5, min: 1 },
  { key: "loraR", label: "LoRA rank r", doc: "Rank of the adapters on each targeted projection; more rank, more capacity and memory.", initial: DEFAULT_LORA.r, min: 1 },
  { key: "loraAlpha", label: "LoRA α", doc: "The adapter's output is scaled by α / r.", initial: DEFAULT_LORA.alpha, min: 1 },
] as const;

/** The projections that carry an adapter: a text field, read with the CLI's --lora-targets rules. */
export const LORA_TARGETS_FIELD = {
  key: "loraTargets",
  label: "LoRA targets",
  doc: `The projections of every layer that get an adapter: some of ${LINEAR_NAMES.join(", ")} separated by commas, or "all".`,
  initial: DEFAULT_LORA.targets.join(","),
} as const;

export type RunFieldKey = (typeof RUN_FIELDS)[number]["key"];

/** The DAPO settings in groups a reader can take in; keys the config gains later land in "Other". */
const GROUPS: { title: string; keys: string[] }[] = [
  { title: "Batch and sampling", keys: ["groupSize", "promptsPerBatch", "miniBatches", "maxRegenerationRounds", "temperature", "topP"] },
  { title: "Rollouts and tools", keys: ["maxResponseTokens", "overlongBuffer", "overlongShaping", "maxTurns", "toolResponseTokens", "toolEfficiency"] },
  { title: "Loss", keys: ["clipLow", "clipHigh", "dualClip", "advantageEps", "truncationMasking", "simpleTir", "llds", "lldsLambda"] },
  { title: "Optimizer", keys: ["learningRate", "lrSchedule", "minLrRatio", "warmupSteps", "weightDecay", "beta1", "beta2", "adamEps", "gradClip"] },
];

/** The config's fields by group, in order; every DapoConfig key appears exactly once. */
export function configGroups(): { title: string; keys: ConfigKey[] }[] {
  const all = Object.keys(DEFAULT_DAPO_CONFIG) as ConfigKey[];
  const placed = new Set<string>();
  const groups = GROUPS.map((g) => {
    const keys = g.keys.filter((k): k is ConfigKey => k in DEFAULT_DAPO_CONFIG);
    keys.forEach((k) => placed.add(k));
    return { title: g.title, keys };
  });
  const rest = all.filter((k) => !placed.has(k));
  if (rest.length > 0) groups.push({ title: "Other", keys: rest });
  return groups.filter((g) => g.keys.length > 0);
}

/** The page's default for `key` (the tiny-model value where it has one, else the reference default). */
export function pageDefault(key: ConfigKey): DapoConfig[ConfigKey] {
  return (key in PAGE_CONFIG ? PAGE_CONFIG[key] : DEFAULT_DAPO_CONFIG[key]) as DapoConfig[ConfigKey];
}

/** The field's help line: its doc, the reference value, and the library default where the page changed it. */
export function helpOf(key: ConfigKey): { label: string; doc: string; reference: string } {
  const doc = DAPO_CONFIG_DOC[key] ?? { label: key, doc: "", reference: "" };
  const changed = pageDefault(key) !== DEFAULT_DAPO_CONFIG[key];
  const reference = [doc.reference && `reference ${doc.reference}`, changed ? `default ${String(DEFAULT_DAPO_CONFIG[key])}; the learning benchmark's value here, for the tiny model` : ""]
    .filter(Boolean)
    .join("; ");
  return { label: doc.label, doc: doc.doc, reference };
}

export function initialFormValues(): FormValues {
  const values: FormValues = {};
  for (const key of Object.keys(DEFAULT_DAPO_CONFIG) as ConfigKey[]) {
    const v = pageDefault(key);
    values[key] = typeof v === "boolean" ? v : String(v);
  }
  for (const f of RUN_FIELDS) values[f.key] = String(f.initial);
  values[LORA_TARGETS_FIELD.key] = LORA_TARGETS_FIELD.initial;
  return values;
}

/** What the form asks for, without the task source (the client adds it). */
export type RunSettings = Omit<TrainRequest, "tasks">;

export type FormReading = { settings?: RunSettings; config?: DapoConfig; problems: string[] };

function parseNumber(text: string): number {
  const t = text.trim();
  return t === "" ? Number.NaN : Number(t);
}

/** Reads the form: the run settings and the resolved config, or every problem (each names its field). */
export function readForm(values: FormValues): FormReading {
  const problems: string[] = [];
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_DAPO_CONFIG) as ConfigKey[]) {
    const raw = values[key];
    const reference = DEFAULT_DAPO_CONFIG[key];
    if (typeof reference === "boolean") overrides[key] = raw === true;
    else if (typeof reference === "string") overrides[key] = typeof raw === "string" ? raw : reference;
    else {
      const n = parseNumber(typeof raw === "string" ? raw : "");
      if (Number.isNaN(n)) problems.push(`${key}: "${String(raw ?? "")}" is not a number; type one like ${String(pageDefault(key))}`);
      else overrides[key] = n;
    }
  }
  let config: DapoConfig | undefined;
  if (problems.length === 0) {
    try {
      config = resolveDapoConfig(overrides as Partial<DapoConfig>);
    } catch (error) {
      if (error instanceof DapoConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  const run: Partial<Record<RunFieldKey, number>> = {};
  for (const f of RUN_FIELDS) {
    const raw = values[f.key];
    const n = parseNumber(typeof raw === "string" ? raw : "");
    if (!Number.isInteger(n) || n < f.min) problems.push(`${f.key}: "${String(raw ?? "")}" must be a whole number ≥ ${f.min}`);
    else run[f.key] = n;
  }
  let targets: LinearName[] | undefined;
  const rawTargets = values[LORA_TARGETS_FIELD.key];
  try {
    targets = parseLoraTargets(typeof rawTargets === "string" ? rawTargets : LORA_TARGETS_FIELD.initial);
  } catch (error) {
    problems.push(`${LORA_TARGETS_FIELD.key}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (problems.length > 0 || !config || !targets) return { problems };
  const settings: RunSettings = {
    config,
    steps: run.steps!,
    seed: run.seed!,
    evalEvery: run.evalEvery!,
    evalTasks: run.evalTasks!,
    evalSamples: run.evalSamples!,
    checkpointEvery: run.checkpointEvery!,
    lora: { r: run.loraR!, alpha: run.loraAlpha!, targets },
  };
  return { settings, config, problems };
}


/**
 * The form with a config file's settings filled in (the JSON object `tapo train --config` takes, e.g. one the
 * Train page saved), or the problems that keep it out: not an object, a key that is no setting, a value of
 * the wrong kind, or a value the config refuses. Fields the file does not name keep what they hold.
 */
export function configIntoForm(json: unknown, values: FormValues): { values?: FormValues; problems: string[] } {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { problems: ["the file must hold one JSON object of settings"] };
  const problems: string[] = [];
  const next = { ...values };
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!Object.hasOwn(DEFAULT_DAPO_CONFIG, key)) {
      problems.push(`${key} is not a setting`);
      continue;
    }
    const reference = DEFAULT_DAPO_CONFIG[key as ConfigKey];
    if (typeof value !== typeof reference) {
      problems.push(`${key} must be a ${typeof reference}, got ${JSON.stringify(value)}`);
      continue;
    }
    next[key] = typeof value === "boolean" ? value : String(value);
  }
  if (problems.length > 0) return { problems };
  try {
    resolveDapoConfig(json as Partial<DapoConfig>);
  } catch (error) {
    if (error instanceof DapoConfigError) return { problems: error.problems };
    throw error;
  }
  return { values: next, problems: [] };
}
