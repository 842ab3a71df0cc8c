// `tapo recipe` after its flags are read (src/cli/node/tapo.ts reads them with
// the same helpers as `tapo train`): resolves the tasks to exactly the splits a
// run trains on, the config and the format, and writes the recipe. Runs in
// plain Node; no browser, no GPU.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DapoConfig } from "../protocol/dapo_config";
import { DEFAULT_LORA, type LoraSettings } from "../protocol/lora";
import type { TaskSource, TrainRequest } from "../protocol/run";
import { resolveDapoConfig } from "../rl/config";
import { BUNDLED_CORPUS_FILE } from "../tasks/world/bundled";
import { adapterLora, RecipeError, writeRecipe } from "./recipe";
import { ENGINES, type Engine } from "./settings_map";
import { formatOf, tasksOf } from "../trainer/request_tasks";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where the reward module lives in the repository (another file than this feature writes it). */
export const REWARD_MODULE = resolve(ROOT, "src/recipe/reward/tapo_reward.py");
export const BUNDLED_CORPUS = resolve(ROOT, BUNDLED_CORPUS_FILE);

/** --to as an engine, or a RecipeError naming the engines (checked before the tasks are read). */
export function engineArg(to: string | undefined): Engine {
  if (!(ENGINES as readonly string[]).includes(to ?? "")) throw new RecipeError(`--to must be ${ENGINES.join(" or ")}, got "${to ?? ""}"`);
  return to as Engine;
}

/** The command's inputs, as tapo.ts has read them. */
export type RecipeInputs = {
  engine: Engine;
  /** The --task argument as given (for notes) and the source it names. */
  task: string;
  source: TaskSource;
  config: Partial<DapoConfig>;
  format: TrainRequest["format"];
  /** --lora-* flags, or undefined when none was given. */
  lora: LoraSettings | undefined;
  model: string | undefined;
  adapter: string | undefined;
  out: string;
};

type Emit = (record: Record<string, unknown>) => void;

/** Writes the recipe; `emit` gets the note lines, then `{"event":"recipe","files",…}`. */
export function runRecipe(inputs: RecipeInputs, emit: Emit, paths = { rewardModule: REWARD_MODULE, corpusFile: BUNDLED_CORPUS }): void {
  const { engine } = inputs;
  const model = inputs.model ?? "Qwen/Qwen2.5-7B-Instruct";
  if (model === "tiny") throw new RecipeError("--model tiny is the bundled browser model; a recipe needs a hub id such as Qwen/Qwen2.5-7B-Instruct (or a path on the cluster)");
  const out = resolve(inputs.out);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new RecipeError(`--out ${inputs.out} is a file: give a folder`);
  const note = (message: string) => emit({ event: "note", message });
  if (inputs.task === "builtin") note("--task builtin takes the full level here (no model is loaded to pick one): use --task tiny for the tiny level");
  const tasks = tasksOf(inputs.source);
  const config = resolveDapoConfig(inputs.config);
  const format = formatOf(inputs.format);
  let lora = inputs.lora ?? { ...DEFAULT_LORA, targets: [...DEFAULT_LORA.targets] };
  if (inputs.adapter) {
    if (inputs.lora) throw new RecipeError("--lora-r, --lora-alpha and --lora-targets describe a fresh adapter; with --adapter the recipe keeps that adapter's settings, so leave them out");
    if (!existsSync(inputs.adapter)) throw new RecipeError(`--adapter ${inputs.adapter}: no such folder`);
    lora = adapterLora(inputs.adapter);
  }
  const result = writeRecipe({
    engine,
    tasks,
    config,
    format,
    model,
    lora,
    ...(inputs.adapter ? { adapterDir: resolve(inputs.adapter) } : {}),
    outDir: out,
    ...paths,
  });
  for (const message of result.notes) note(message);
  emit({ event: "recipe", engine, out, files: result.files, train: tasks.train.length, test: tasks.test.length });
}
