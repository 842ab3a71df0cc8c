// Writes a recipe (recipe_files.ts) into a folder, for `tapo recipe`: reads
// the texts it ships (the reward module, the templates, the search corpus)
// and a PEFT adapter folder from disk, writes every file, and makes run.sh
// executable. Node only.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoraSettings } from "../protocol/lora";
import { loraOfAdapterConfig, type RecipeOptions, RecipeError, recipeFiles } from "./recipe_files";

export { RecipeError };

const TEMPLATES = fileURLToPath(new URL("./templates/", import.meta.url));

/** What `tapo recipe` asks for: the recipe's settings, where the shipped texts and the adapter are, and the folder. */
export type RecipeWrite = Omit<RecipeOptions, "sources" | "adapter"> & { adapterDir?: string; outDir: string; rewardModule: string; corpusFile: string };

export type RecipeResult = { files: string[]; notes: string[] };

/** A folder's files, by path relative to it. */
function folderFiles(dir: string, prefix = ""): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, folderFiles(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = new Uint8Array(readFileSync(path));
  }
  return out;
}

/** Writes the recipe into `o.outDir` (created; files there with the same names are replaced). */
export function writeRecipe(o: RecipeWrite): RecipeResult {
  if (!existsSync(o.rewardModule)) {
    throw new RecipeError(`the reward module ${o.rewardModule} is missing: it ships with TAPO Studio (src/recipe/reward/tapo_reward.py); restore it from the repository`);
  }
  if (!existsSync(o.corpusFile)) throw new RecipeError(`the search corpus ${o.corpusFile} is missing: run \`npm run build:corpus\``);
  const text = (path: string) => readFileSync(path, "utf8");
  const sources = {
    rewardModule: text(o.rewardModule),
    tools: text(join(TEMPLATES, "tapo_tools.py")),
    agentLoop: text(join(TEMPLATES, "tapo_agent_loop.py")),
    trainTrl: text(join(TEMPLATES, "train_trl.py")),
    corpus: text(o.corpusFile),
  };
  const { files, notes } = recipeFiles({ ...o, sources, ...(o.adapterDir ? { adapter: { from: o.adapterDir, files: folderFiles(o.adapterDir) } } : {}) });
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(o.outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (!name.startsWith("adapter/")) written.push(path);
  }
  if (o.adapterDir) written.push(join(o.outDir, "adapter"));
  chmodSync(join(o.outDir, "run.sh"), 0o755);
  return { files: written, notes };
}

/** The LoRA settings a PEFT adapter folder's adapter_config.json holds. */
export function adapterLora(dir: string): LoraSettings {
  const path = join(dir, "adapter_config.json");
  if (!existsSync(path)) throw new RecipeError(`--adapter ${dir} has no adapter_config.json: give a PEFT LoRA folder (tapo train --out DIR writes DIR/adapter)`);
  return loraOfAdapterConfig(readFileSync(path, "utf8"), path);
}
