// "Scale out": an experiment (a saved run, or the Train form's settings) as a
// verl or TRL recipe, zipped for download (the files `tapo recipe` writes, from
// recipe_files.ts). Its tasks, settings and LoRA shape carry over; a run's
// adapter does when the recipe trains the model the run trained (a Hub id), and
// an experiment on the bundled tiny model becomes a recipe for a real Qwen2.5
// with the TAPO format, as the notes say.
import { zipSync } from "fflate";
import type { DapoConfig } from "../../protocol/dapo_config";
import { resolveLoraSettings } from "../../protocol/lora";
import type { RunExport, TrainRequest } from "../../protocol/run";
import { loraOfAdapterConfig, recipeFiles, type RecipeSources } from "../../recipe/recipe_files";
import type { Engine } from "../../recipe/settings_map";
import rewardModule from "../../recipe/reward/tapo_reward.py?raw";
import agentLoop from "../../recipe/templates/tapo_agent_loop.py?raw";
import tools from "../../recipe/templates/tapo_tools.py?raw";
import trainTrl from "../../recipe/templates/train_trl.py?raw";
import { formatOf, tasksOf } from "../../trainer/request_tasks";
import { bundledCorpusUrl } from "../../tools/search/corpus_loader";

/** The model a recipe trains when the run's model is not a Hub id (the bundled tiny model, local files). */
export const RECIPE_DEFAULT_MODEL = "Qwen/Qwen2.5-7B-Instruct";

export type RecipeZip = { name: string; zip: Uint8Array; notes: string[] };

/** Whether a model label names a Hugging Face Hub repository ("owner/name"). */
function isHubId(label: string): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(label);
}

/** What a recipe is made from: a saved run (its export), or the form's settings (no adapter). */
export type Experiment = { id: string; request: TrainRequest; config: DapoConfig; adapter?: { from: string; files: Record<string, Uint8Array> } };

/** A saved run's export as an experiment. */
export function runExperiment(exported: RunExport): Experiment {
  return { id: exported.runId, request: exported.request, config: exported.config, adapter: { from: `run ${exported.runId} (step ${exported.step})`, files: exported.adapter } };
}

/** The recipe of `experiment` (on model `runModel`, if one is loaded) for `engine`, as a .zip whose files sit in one folder. */
export function recipeZip(experiment: Experiment, runModel: string | undefined, engine: Engine, corpus: string): RecipeZip {
  const notes: string[] = [];
  const model = runModel !== undefined && isHubId(runModel) ? runModel : RECIPE_DEFAULT_MODEL;
  if (runModel !== undefined && model !== runModel) notes.push(`the experiment ran on ${runModel}; the recipe trains ${model} from a fresh adapter of the same rank, alpha and targets (pass another with MODEL= to run.sh)`);
  let format = formatOf(experiment.request.format);
  if (format.pythonNums) {
    notes.push(`the run used the ${format.name} format of the bundled tiny model (Python sees the question's numbers as nums); the recipe uses the tapo format, which a real model follows`);
    format = formatOf("tapo");
  }
  const adapterConfig = experiment.adapter?.files["adapter_config.json"];
  const lora = adapterConfig ? loraOfAdapterConfig(new TextDecoder().decode(adapterConfig), "the run's adapter_config.json") : resolveLoraSettings(experiment.request.lora);
  const sources: RecipeSources = { rewardModule, tools, agentLoop, trainTrl, corpus };
  const adapter = model === runModel && experiment.adapter ? { adapter: experiment.adapter } : {};
  const built = recipeFiles({ engine, tasks: tasksOf(experiment.request.tasks), config: experiment.config, format, model, lora, sources, ...adapter });
  const folder = `tapo-recipe-${engine}-${experiment.id}`;
  const entries: Record<string, Uint8Array | [Uint8Array, { os: number; attrs: number }]> = {};
  for (const [name, content] of built.files) {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    // run.sh keeps its executable bit when unzipped (Unix attributes: -rwxr-xr-x).
    entries[`${folder}/${name}`] = name === "run.sh" ? [bytes, { os: 3, attrs: (0o100755 << 16) >>> 0 }] : bytes;
  }
  return { name: `${folder}.zip`, zip: zipSync(entries), notes: [...notes, ...built.notes] };
}

/** The bundled search corpus (JSONL) the app serves, which the recipe ships as corpus.jsonl. */
export async function bundledCorpusText(): Promise<string> {
  const url = bundledCorpusUrl();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not read the bundled search corpus at ${url}: HTTP ${res.status}`);
  return res.text();
}
