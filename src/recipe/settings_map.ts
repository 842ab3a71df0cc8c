// Our DAPO settings as verl's and TRL's options: the table (settings_map.json,
// one row per DapoConfig key, LoRA setting and fixed choice, each option name
// checked against the engine version it names) and the two things generated
// from it: an engine's option values for a resolved config, with a note for
// every setting that has no counterpart, and the Markdown table for READMEs.
import type { DapoConfig } from "../protocol/dapo_config";
import type { LoraSettings } from "../protocol/lora";
import table from "./settings_map.json";

export type Engine = "verl" | "trl";
export const ENGINES: readonly Engine[] = ["verl", "trl"];

/** One engine option a setting sets; `transform` names how the value is derived (identity when absent). */
type OptionRef = { option: string; transform?: string; note?: string };
/** A setting's decision for one engine: options that carry it, or why none does. */
export type EngineMapping = { options?: OptionRef[]; none?: string; engineValue?: number | boolean; onlyWith?: string };
export type SettingRow = { key: string; what: string } & Record<Engine, EngineMapping>;
/** A choice TAPO always makes; `covered` says how an engine without an option gets it anyway. */
type FixedRow = { what: string; covered?: Partial<Record<Engine, string>> } & Record<Engine, { option: string; value: unknown }[]>;

export const SETTINGS_MAP = table as unknown as {
  engines: Record<Engine, { label: string; version: string; checked: string }>;
  settings: SettingRow[];
  lora: SettingRow[];
  fixed: FixedRow[];
};

/** Everything a transform may read: the resolved config and the LoRA settings. */
type Inputs = { config: DapoConfig; lora: LoraSettings };
type Transform = (value: unknown, inputs: Inputs) => unknown;

/** How many prompts each optimizer step takes (our batch split into miniBatches). */
function promptsPerMiniBatch({ config }: Inputs): number {
  return Math.max(1, Math.floor(config.promptsPerBatch / config.miniBatches));
}

const TRANSFORMS: Record<string, Transform> = {
  promptsPerMiniBatch: (_v, inputs) => promptsPerMiniBatch(inputs),
  completionsPerBatch: (_v, { config }) => config.promptsPerBatch * config.groupSize,
  plusOne: (v) => Number(v) + 1,
  charsFromTokens: (v) => Number(v) * 4,
  betas: (_v, { config }) => [config.beta1, config.beta2],
  hfSchedule: (v) => (v === "cosine" ? "cosine_with_min_lr" : "constant_with_warmup"),
  hfMinLr: (v, { config }) => (config.lrSchedule === "cosine" ? { min_lr_rate: v } : {}),
  peftTargets: (v) => (v as string[]).map((t) => `${t}_proj`),
  ifOverlong: (v, { config }) => (config.overlongShaping ? v : null),
  overlongLmax: (_v, { config }) => (config.overlongShaping ? config.maxResponseTokens : null),
};

/** The transforms the table may name (a test checks every name it uses is here). */
export const TRANSFORM_NAMES: readonly string[] = Object.keys(TRANSFORMS);

export type EngineOptions = {
  /** Option name → value, in table order (settings, then LoRA, then fixed choices). */
  values: Map<string, unknown>;
  /** One line per setting without a counterpart (and per approximate mapping worth knowing). */
  notes: string[];
};

function settingValue(row: SettingRow, inputs: Inputs, lora: boolean): unknown {
  return lora ? inputs.lora[row.key as keyof LoraSettings] : inputs.config[row.key as keyof DapoConfig];
}

function show(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * `engine`'s options for `config` and `lora` (lora undefined: full fine-tuning, no LoRA rows). A setting
 * without a counterpart gives a note saying whether the engine's own behaviour matches our value.
 */
export function engineOptions(engine: Engine, config: DapoConfig, lora: LoraSettings | undefined): EngineOptions {
  const inputs: Inputs = { config, lora: lora ?? { r: 0, alpha: 0, targets: [] } };
  const values = new Map<string, unknown>();
  const notes: string[] = [];
  const rows: [SettingRow, boolean][] = [...SETTINGS_MAP.settings.map((r) => [r, false] as [SettingRow, boolean]), ...(lora ? SETTINGS_MAP.lora.map((r) => [r, true] as [SettingRow, boolean]) : [])];
  for (const [row, isLora] of rows) {
    const m = row[engine];
    const value = settingValue(row, inputs, isLora);
    if (m.none !== undefined) {
      if (m.onlyWith !== undefined && config[m.onlyWith as keyof DapoConfig] !== true) continue;
      const same = m.engineValue !== undefined && m.engineValue === value;
      notes.push(`${row.key} = ${show(value)} has no ${SETTINGS_MAP.engines[engine].label} option: ${m.none}${same ? " (the same as ours)" : m.engineValue !== undefined ? ` — our value differs, so the ${SETTINGS_MAP.engines[engine].label} run will behave as ${show(m.engineValue)}` : ""}`);
      continue;
    }
    for (const ref of m.options ?? []) {
      const transform = ref.transform === undefined ? undefined : TRANSFORMS[ref.transform];
      if (ref.transform !== undefined && transform === undefined) throw new Error(`settings_map.json names an unknown transform "${ref.transform}"`);
      values.set(ref.option, transform ? transform(value, inputs) : value);
    }
  }
  if (config.promptsPerBatch % config.miniBatches !== 0) {
    notes.push(`promptsPerBatch ${config.promptsPerBatch} is not a multiple of miniBatches ${config.miniBatches}: each mini-batch takes ${promptsPerMiniBatch(inputs)} prompts`);
  }
  for (const row of SETTINGS_MAP.fixed) {
    for (const { option, value } of row[engine]) values.set(option, value);
    if (row[engine].length === 0 && row.covered?.[engine] === undefined) notes.push(`${row.what}: ${SETTINGS_MAP.engines[engine].label} has no counterpart`);
  }
  return { values, notes };
}

function cell(m: EngineMapping): string {
  if (m.none !== undefined) return `— (${m.none})`;
  return (m.options ?? []).map((o) => `\`${o.option}\`${o.transform ? ` (${o.transform})` : ""}${o.note ? ` — ${o.note}` : ""}`).join("<br>");
}

function fixedCell(refs: { option: string; value: unknown }[], covered: string | undefined): string {
  if (refs.length === 0) return covered ?? "— (no counterpart)";
  return refs.map((r) => `\`${r.option}=${show(r.value)}\``).join("<br>");
}

/** The settings table in Markdown: every setting with its name on each side, then the fixed choices. */
export function settingsTableMarkdown(): string {
  const escape = (s: string) => s.replaceAll("|", "\\|");
  const head = ["| TAPO setting | | verl | TRL |", "|---|---|---|---|"];
  const rows = [
    ...SETTINGS_MAP.settings.map((r) => `| \`${r.key}\` | ${r.what} | ${escape(cell(r.verl))} | ${escape(cell(r.trl))} |`),
    ...SETTINGS_MAP.lora.map((r) => `| LoRA \`${r.key}\` | ${r.what} | ${escape(cell(r.verl))} | ${escape(cell(r.trl))} |`),
    ...SETTINGS_MAP.fixed.map((r) => `| (fixed) | ${r.what} | ${escape(fixedCell(r.verl, r.covered?.verl))} | ${escape(fixedCell(r.trl, r.covered?.trl))} |`),
  ];
  const transforms = [
    "",
    "Transforms: promptsPerMiniBatch = promptsPerBatch / miniBatches; completionsPerBatch = promptsPerBatch × groupSize; plusOne = value + 1;",
    "charsFromTokens = tokens × 4; betas = [beta1, beta2]; hfSchedule: constant → constant_with_warmup, cosine → cosine_with_min_lr;",
    "hfMinLr = {min_lr_rate: minLrRatio} (cosine only); peftTargets: q → q_proj, …; ifOverlong = the value when overlongShaping is on, else null;",
    "overlongLmax = maxResponseTokens when overlongShaping is on, else null.",
    "",
    `Checked against ${SETTINGS_MAP.engines.verl.version} and ${SETTINGS_MAP.engines.trl.version}.`,
  ];
  return [...head, ...rows, ...transforms].join("\n");
}
