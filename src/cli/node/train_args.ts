// The command line's arguments for `tapo train` and `tapo eval`, read on the
// Node side before the engine starts: the task set (--task: built-in, one
// built-in category, or a dataset file imported here), the config file
// (--config F: DAPO settings as JSON, checked with every reason), the LoRA
// flags, and whole numbers. Every mistake gets a message that says what to change.
import { existsSync, openAsBlob, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { WeightFormat } from "../../protocol/tensors.ts";
import type { DapoConfig } from "../../protocol/dapo_config.ts";
import { DEFAULT_LORA, type LinearName, type LoraSettings, parseLoraTargets, resolveLoraSettings } from "../../protocol/lora.ts";
import { resolveDapoConfig } from "../../rl/config.ts";
import { describeImport } from "../../tasks/import/row_schema.ts";
import { importDatasetFile } from "../../tasks/import/dataset_file.ts";
import { holdOutTestShare } from "../../tasks/held_out.ts";
import { TASK_CATEGORIES } from "../../protocol/tasks.ts";
import type { TaskSource, TrainRequest } from "../../protocol/run.ts";

/** Test share held out of an imported dataset file. */
export const FILE_TEST_SHARE = 0.1;

/** A whole number flag (≥ min), or its default. */
export function intFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/**
 * --lora-r, --lora-alpha, --lora-targets (q,v or all): the adapter's settings with DEFAULT_LORA where a
 * flag is missing, or undefined when none is given (a run from --adapter then keeps the adapter's).
 */
export function loraArgs(values: { "lora-r"?: string; "lora-alpha"?: string; "lora-targets"?: string }): LoraSettings | undefined {
  const { "lora-r": r, "lora-alpha": alpha, "lora-targets": targets } = values;
  if (r === undefined && alpha === undefined && targets === undefined) return undefined;
  const a = alpha === undefined ? DEFAULT_LORA.alpha : Number(alpha);
  if (!(Number.isFinite(a) && a > 0)) throw new Error(`--lora-alpha must be a number > 0, got "${alpha}"`);
  return resolveLoraSettings({
    r: intFlag(r, "lora-r", DEFAULT_LORA.r, 1),
    alpha: a,
    targets: targets === undefined ? [...DEFAULT_LORA.targets] : targetsFlag(targets),
  });
}

function targetsFlag(text: string): LinearName[] {
  try {
    return parseLoraTargets(text);
  } catch (error) {
    throw new Error(`--lora-targets ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * --task: "builtin" (the built-in tasks at the model's level: its tapo.json's taskLevel, else full), "full" or "tiny"
 * (that level whatever the model), a built-in category (compute, fact1, fact2, mixed, easy), or a JSONL/CSV/Parquet file.
 */
export async function taskSourceArg(task: string, seed: number, note: (message: string) => void): Promise<TaskSource> {
  if (task === "builtin") return { kind: "builtin", seed };
  if (task === "full" || task === "tiny") return { kind: "builtin", seed, level: task };
  if ((TASK_CATEGORIES as readonly string[]).includes(task)) return { kind: "builtin", seed, counts: { [task]: 40 } };
  if (!existsSync(task)) {
    throw new Error(`--task "${task}" is neither builtin, full, tiny, a category (${TASK_CATEGORIES.join(", ")}) nor an existing dataset file`);
  }
  const name = basename(task);
  const result = await importDatasetFile(await openAsBlob(task), { name });
  note(describeImport(name, result));
  if (result.tasks.length < 2) throw new Error(`${name} gave ${result.tasks.length} usable task(s); training needs at least 2 (one to hold out for evaluation)`);
  const { train, test } = holdOutTestShare(result.tasks, FILE_TEST_SHARE);
  return { kind: "tasks", label: name, train, test };
}

/** --config F: a JSON object of DapoConfig settings, checked now so a bad value fails before any model loads. */
export function configArg(path: string | undefined): Partial<DapoConfig> {
  if (path === undefined) return {};
  if (!existsSync(path)) throw new Error(`--config ${path} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`--config ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`--config ${path} must hold a JSON object of settings`);
  resolveDapoConfig(parsed as Partial<DapoConfig>);
  return parsed as Partial<DapoConfig>;
}

/** --format: a preset name, or a JSON file of fields overriding the tapo preset. */
export function formatArg(value: string | undefined): TrainRequest["format"] {
  if (value === undefined) return undefined;
  if (!value.endsWith(".json")) return value as TrainRequest["format"];
  if (!existsSync(value)) throw new Error(`--format ${value} does not exist`);
  try {
    const parsed: unknown = JSON.parse(readFileSync(value, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as TrainRequest["format"];
  } catch (error) {
    throw new Error(`--format ${value} must be a JSON object of format fields (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/**
 * The base weights' format a run saved in `outDir` was trained with (its newest checkpoint's model identity),
 * or undefined without one: a resume without --quant keeps it instead of the model's default.
 */
export function savedRunQuant(outDir: string): WeightFormat | undefined {
  const root = join(outDir, "checkpoints");
  if (!existsSync(root)) return undefined;
  for (const step of readdirSync(root).filter((n) => /^step-\d+$/.test(n)).sort().reverse()) {
    try {
      const state = JSON.parse(readFileSync(join(root, step, "state.json"), "utf8")) as { modelIdentity?: { quant?: string } };
      const quant = state.modelIdentity?.quant;
      if (quant === "f32" || quant === "q8_0" || quant === "q4_0") return quant;
    } catch {
      // a half-written checkpoint: look at the one before
    }
  }
  return undefined;
}
