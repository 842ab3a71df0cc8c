// "Scale out": a saved run's experiment as a verl or TRL recipe, zipped for
// download (the files `tapo recipe` writes, from recipe_files.ts). The run's
// own tasks, settings and LoRA shape carry over; its adapter does when the
// recipe trains the model the run trained (a Hub id), and a run of the bundled
// tiny model becomes a recipe for a real Qwen2.5 with the TAPO format, as notes say.
import { zipSync } from "fflate";
import type { RunExport } from "../../protocol/run";
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

/** The recipe of run `exported` (trained on model `runModel`) for `engine`, as a .zip whose files sit in one folder. */
export function recipeZip(exported: RunExport, runModel: string, engine: Engine, corpus: string): RecipeZip {
  const notes: string[] = [];
  const model = isHubId(runModel) ? runModel : RECIPE_DEFAULT_MODEL;
  if (model !== runModel) notes.push(`the run trained ${runModel}; the recipe trains ${model} from a fresh adapter of the same rank, alpha and targets (pass another with MODEL= to run.sh)`);
  let format = formatOf(exported.request.format);
  if (format.pythonNums) {
    notes.push(`the run used the ${format.name} format of the bundled tiny model (Python sees the question's numbers as nums); the recipe uses the tapo format, which a real model follows`);
    format = formatOf("tapo");
  }
  const adapterConfig = exported.adapter["adapter_config.json"];
  const lora = adapterConfig ? loraOfAdapterConfig(new TextDecoder().decode(adapterConfig), "the run's adapter_config.json") : exported.request.lora;
  if (!lora) throw new Error("the run's adapter has no adapter_config.json");
  const sources: RecipeSources = { rewardModule, tools, agentLoop, trainTrl, corpus };
  const adapter = model === runModel ? { adapter: { from: `run ${exported.runId} (step ${exported.step})`, files: exported.adapter } } : {};
  const built = recipeFiles({ engine, tasks: tasksOf(exported.request.tasks), config: exported.config, format, model, lora, sources, ...adapter });
  const folder = `tapo-recipe-${engine}-${exported.runId}`;
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
