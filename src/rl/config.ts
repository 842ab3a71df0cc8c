// The DAPO trainer's hyperparameters: one typed config, the reference
// defaults (TAPO.md §4–5), and a checker whose messages say what to change.
// The one-line explanation of each field, for the UI, is in config_doc.json.
import type { DapoConfig } from "../protocol/dapo_config";
import configDoc from "./config_doc.json";

export const DEFAULT_DAPO_CONFIG: Readonly<DapoConfig> = Object.freeze({
  groupSize: 8,
  promptsPerBatch: 64,
  miniBatches: 4,
  clipLow: 0.2,
  clipHigh: 0.28,
  dualClip: 10,
  // 10× DAPO's full fine-tuning rate (1e-6): LoRA's low-rank update needs a
  // larger step for the same change, and 1e-5 is the cautious end of the usual
  // LoRA range (1e-5–1e-4), where RL on small, noisy batches stays stable.
  learningRate: 1e-5,
  lrSchedule: "constant",
  minLrRatio: 0.1,
  warmupSteps: 10,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.999,
  adamEps: 1e-8,
  gradClip: 1.0,
  temperature: 1.0,
  topP: 1.0,
  maxRegenerationRounds: 10,
  maxTurns: 4,
  toolResponseTokens: 2048,
  maxResponseTokens: 2048,
  overlongBuffer: 512,
  overlongShaping: true,
  advantageEps: 1e-6,
  simpleTir: false,
  llds: false,
  lldsLambda: 0.2,
  truncationMasking: false,
  toolEfficiency: false,
});

/** One field's entry in config_doc.json. */
export type DapoConfigDoc = { label: string; doc: string; reference: string };

/** The UI's explanation of each field, by key. */
export const DAPO_CONFIG_DOC: Readonly<Record<keyof DapoConfig, DapoConfigDoc>> = configDoc;

/** A config that cannot be trained with; `problems` lists every reason. */
export class DapoConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the training config cannot be used: ${problems.join("; ")}`);
    this.name = "DapoConfigError";
  }
}

type Check = [keyof DapoConfig, (v: number) => boolean, string];

const isInt = Number.isInteger;
const NUMBER_CHECKS: Check[] = [
  ["groupSize", (v) => isInt(v) && v >= 2, "must be a whole number ≥ 2 (with one response per prompt every advantage is 0)"],
  ["promptsPerBatch", (v) => isInt(v) && v >= 1, "must be a whole number ≥ 1"],
  ["miniBatches", (v) => isInt(v) && v >= 1, "must be a whole number ≥ 1"],
  ["clipLow", (v) => v > 0 && v < 1, "must lie in (0, 1)"],
  ["clipHigh", (v) => v > 0, "must be > 0"],
  ["learningRate", (v) => v > 0 && v < 1, "must be > 0 and < 1 (LoRA typically 1e-5–1e-4)"],
  ["minLrRatio", (v) => v >= 0 && v <= 1, "must lie in [0, 1]"],
  ["warmupSteps", (v) => isInt(v) && v >= 0, "must be a whole number ≥ 0"],
  ["weightDecay", (v) => v >= 0, "must be ≥ 0"],
  ["beta1", (v) => v >= 0 && v < 1, "must lie in [0, 1)"],
  ["beta2", (v) => v >= 0 && v < 1, "must lie in [0, 1)"],
  ["adamEps", (v) => v > 0, "must be > 0"],
  ["gradClip", (v) => v >= 0, "must be ≥ 0 (0 turns clipping off)"],
  ["temperature", (v) => v > 0, "must be > 0"],
  ["topP", (v) => v > 0 && v <= 1, "must lie in (0, 1]"],
  ["maxRegenerationRounds", (v) => isInt(v) && v >= 1, "must be a whole number ≥ 1"],
  ["maxTurns", (v) => isInt(v) && v >= 0, "must be a whole number ≥ 0 (0: answer without tools)"],
  ["toolResponseTokens", (v) => isInt(v) && v >= 1, "must be a whole number ≥ 1"],
  ["maxResponseTokens", (v) => isInt(v) && v >= 1, "must be a whole number ≥ 1"],
  ["overlongBuffer", (v) => isInt(v) && v >= 0, "must be a whole number ≥ 0"],
  ["advantageEps", (v) => v > 0, "must be > 0"],
  ["lldsLambda", (v) => v >= 0, "must be ≥ 0"],
];

/** Every reason `config` cannot be trained with (empty when it can). */
export function dapoConfigProblems(config: DapoConfig): string[] {
  const problems: string[] = [];
  for (const [key, ok, rule] of NUMBER_CHECKS) {
    const v = config[key];
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) problems.push(`${key} is ${JSON.stringify(v)} but ${rule}`);
  }
  if (config.dualClip <= 1 + config.clipHigh || !Number.isFinite(config.dualClip)) {
    problems.push(`dualClip is ${config.dualClip} but must be a finite number above 1 + clipHigh (${1 + config.clipHigh}); the reference is 10`);
  }
  if (config.miniBatches > config.promptsPerBatch) {
    problems.push(`miniBatches (${config.miniBatches}) exceeds promptsPerBatch (${config.promptsPerBatch}): lower it so each mini-batch holds at least one group`);
  }
  if (config.overlongBuffer >= config.maxResponseTokens) {
    problems.push(`overlongBuffer (${config.overlongBuffer}) must be below maxResponseTokens (${config.maxResponseTokens})`);
  }
  if (config.lrSchedule !== "constant" && config.lrSchedule !== "cosine") {
    problems.push(`lrSchedule is ${JSON.stringify(config.lrSchedule)}; use "constant" or "cosine"`);
  }
  for (const key of ["overlongShaping", "simpleTir", "llds", "truncationMasking", "toolEfficiency"] as const) {
    if (typeof config[key] !== "boolean") problems.push(`${key} is ${JSON.stringify(config[key])} but must be true or false`);
  }
  return problems;
}

/**
 * The defaults overridden by `overrides`, checked. Throws DapoConfigError on an
 * unknown key (a typo would otherwise be ignored) or an unusable value.
 */
export function resolveDapoConfig(overrides: Partial<DapoConfig> = {}): DapoConfig {
  const unknown = Object.keys(overrides).filter((k) => !(k in DEFAULT_DAPO_CONFIG));
  const config = { ...DEFAULT_DAPO_CONFIG, ...overrides };
  const problems = [
    ...unknown.map((k) => `${k} is not a setting (known: ${Object.keys(DEFAULT_DAPO_CONFIG).join(", ")})`),
    ...dapoConfigProblems(config),
  ];
  if (problems.length > 0) throw new DapoConfigError(problems);
  return config;
}
