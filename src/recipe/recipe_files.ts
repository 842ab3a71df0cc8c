// One experiment as a ready recipe for a cluster engine (issue 22), in memory:
// train/test Parquet in the engine's schema, the reward module, the tools, the
// config mapped from our DAPO settings (notes on top), run.sh and a README.
// Pure (no file system): `tapo recipe` writes the files to a folder
// (recipe.ts), the Train page zips them (src/ui/train/recipeExport.ts).
//
//   both   train.parquet, test.parquet, tapo_reward.py, tapo_tools.py,
//          corpus.jsonl, run.sh, README.md, [adapter/]
//   verl   config.yaml (every option set, nested), tool_config.yaml; for tag
//          formats also tapo_agent_loop.py, tapo_loop.json, agent_loop.yaml
//   trl    config.yaml (grpo / lora / reward / tapo sections), train_trl.py
import type { DapoConfig } from "../protocol/dapo_config";
import type { RolloutFormat } from "../protocol/format";
import type { LoraSettings } from "../protocol/lora";
import type { Task } from "../protocol/tasks";
import { getFormat } from "../rollout/formats";
import { rowsToParquet, splitRows } from "./datasets";
import { gpusFor, recipeReadme } from "./readme";
import { type Engine, engineOptions } from "./settings_map";
import { nestDotted, toYaml, yamlScalar } from "./yaml";

export type RecipeOptions = {
  engine: Engine;
  tasks: { train: Task[]; test: Task[]; label: string };
  config: DapoConfig;
  format: RolloutFormat;
  /** Hub id (or a path on the cluster) of the base model. */
  model: string;
  /** LoRA settings: the adapter's when one is given, else the run's. */
  lora: LoraSettings;
  /** A PEFT adapter to start from: where it came from (for the README) and its files, copied into adapter/. */
  adapter?: { from: string; files: Record<string, Uint8Array> };
  /** The texts the recipe ships as they are. */
  sources: RecipeSources;
};

/** tapo_reward.py, the templates, and the search corpus (JSONL), as text. */
export type RecipeSources = { rewardModule: string; tools: string; agentLoop: string; trainTrl: string; corpus: string };

/** The recipe's files by name (relative to its folder: "adapter/adapter_config.json"), and the notes it carries. */
export type RecipeFiles = { files: Map<string, string | Uint8Array>; notes: string[] };

/** Thrown when the recipe cannot be written as asked; the message says what to change. */
export class RecipeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecipeError";
  }
}

/** A rough prompt budget in tokens: the longest system + user text at ~3 characters a token, plus room, in steps of 256. */
function promptTokens(rows: Record<string, unknown>[]): number {
  const chars = Math.max(...rows.map((r) => (r.prompt as { content: string }[]).reduce((n, m) => n + m.content.length, 0)));
  return Math.ceil((chars / 3 + 128) / 256) * 256;
}

/** Whether the format calls tools with tags (<search>…</search>) rather than the chat template's JSON tool calls. */
function tagFormat(format: RolloutFormat): boolean {
  return !format.calls.some((c) => c.json);
}

/** Notes about how the format's tool calls reach the engine. */
function formatNotes(engine: Engine, format: RolloutFormat): string[] {
  if (!tagFormat(format)) return [];
  const calls = format.calls.map((c) => c.open).join(", ");
  if (engine === "verl") {
    return [
      `format ${format.name} calls tools with tags (${calls}), which verl's tool agent loop does not parse: the recipe runs the studio's tag loop instead (tapo_agent_loop.py, agent tapo_tag_agent, rules in tapo_loop.json); the multi_turn.* options are set but that loop reads tapo_loop.json`,
    ];
  }
  return [
    `format ${format.name} writes tool calls as tags (${calls}), but TRL's tool loop runs only the chat template's <tool_call> JSON: tag calls get no tool response in this recipe. Use --format qwen-native for tool use with TRL`,
  ];
}

/** The studio's turn rules for tapo_agent_loop.py (tag formats on verl). */
function tagLoopSpec(o: RecipeOptions): Record<string, unknown> {
  const { format, config } = o;
  return {
    format: format.name,
    calls: format.calls.map((c) => ({ open: c.open, close: c.close, tool: c.tool })),
    answer: format.answer,
    response: { before: format.response.before, after: format.response.after },
    corrective: format.corrective,
    tools: format.tools,
    max_turns: config.maxTurns,
    tool_response_tokens: config.toolResponseTokens,
    max_response_tokens: config.maxResponseTokens,
    python_timeout_s: 2,
    python_cap: 2000,
  };
}

function verlFiles(o: RecipeOptions, notes: string[], promptLen: number, files: Map<string, string | Uint8Array>): void {
  const { values } = engineOptions("verl", o.config, o.lora);
  values.set("data.max_prompt_length", promptLen);
  values.set("data.return_raw_chat", true);
  values.set("actor_rollout_ref.rollout.load_format", "safetensors");
  if (o.adapter) values.set("actor_rollout_ref.model.lora_adapter_path", "adapter");
  if (tagFormat(o.format)) {
    values.set("actor_rollout_ref.rollout.agent.default_agent_loop", "tapo_tag_agent");
    values.set("actor_rollout_ref.rollout.agent.agent_loop_config_path", "agent_loop.yaml");
    files.set("tapo_loop.json", `${JSON.stringify(tagLoopSpec(o), null, 2)}\n`);
    files.set("agent_loop.yaml", "# verl agent loops: the studio's tag-format rollout (tapo_agent_loop.py, on PYTHONPATH via run.sh).\n- name: tapo_tag_agent\n  _target_: tapo_agent_loop.TapoTagAgentLoop\n");
    files.set("tapo_agent_loop.py", o.sources.agentLoop);
  }
  const header = [
    `TAPO Studio experiment for verl, written by tapo recipe (${o.tasks.label}, format ${o.format.name}).`,
    "run.sh passes every option below as a Hydra override; paths are relative to this folder.",
    ...(notes.length ? ["", "Settings without a counterpart or carried over approximately:", ...notes.map((n) => `note: ${n}`), ""] : []),
  ];
  files.set("config.yaml", toYaml(nestDotted(values), header));
  const schemas = (getFormat("qwen-native").toolSchemas ?? []) as { function: { name: string } }[];
  const classes: Record<string, { class_name: string; config: Record<string, unknown> }> = {
    python: { class_name: "tapo_tools.TapoPythonTool", config: { type: "native", timeout_s: 2, cap: 2000 } },
    search: { class_name: "tapo_tools.TapoSearchTool", config: { type: "native", corpus_path: "corpus.jsonl", top_k: 3 } },
  };
  const tools = schemas.filter((s) => o.format.tools.includes(s.function.name as "python" | "search")).map((s) => ({ ...classes[s.function.name], tool_schema: s }));
  files.set("tool_config.yaml", toYaml({ tools }, ["verl multi-turn tools: TAPO Studio's Python and search (tapo_tools.py, on PYTHONPATH via run.sh)."]));
  const { suggested, tensorParallel } = gpusFor(o.model);
  const overrides = [
    `data.train_files="$HERE/train.parquet"`,
    `data.val_files="$HERE/test.parquet"`,
    `actor_rollout_ref.model.path="\${MODEL:-${o.model}}"`,
    `actor_rollout_ref.rollout.name="\${ROLLOUT:-sglang}"`,
    `actor_rollout_ref.rollout.tensor_model_parallel_size=${tensorParallel}`,
    `actor_rollout_ref.rollout.multi_turn.tool_config_path="$HERE/tool_config.yaml"`,
    `actor_rollout_ref.actor.use_dynamic_bsz=True`,
    `custom_reward_function.path="$HERE/tapo_reward.py"`,
    `custom_reward_function.name=compute_score`,
    `trainer.n_gpus_per_node="\${GPUS:-${Math.min(8, suggested)}}"`,
    `trainer.nnodes="\${NNODES:-${Math.ceil(suggested / 8)}}"`,
    `trainer.project_name=tapo`,
    `trainer.experiment_name="\${NAME:-tapo-recipe}"`,
    `trainer.logger='["console"]'`,
    ...[...values].map(([k, v]) => `${k}=${hydraValue(HERE_PATHS.has(k) ? `$HERE/${String(v)}` : v)}`),
  ];
  const script = [
    "#!/usr/bin/env bash",
    "# TAPO Studio experiment on verl (written by tapo recipe --to verl): the one command that starts training.",
    "# Run it from the root of a verl checkout at the commit README.md names (its recipe/ submodule holds recipe.dapo),",
    "# or set VERL_DIR. MODEL, GPUS (per node), NNODES, ROLLOUT (sglang or vllm) and NAME override the defaults; extra",
    "# arguments are passed on to Hydra. The same values are listed, with notes, in config.yaml.",
    "set -euo pipefail",
    'HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    'cd "${VERL_DIR:-.}"',
    'export PYTHONPATH="$HERE:${PYTHONPATH:-}"',
    "python3 -m recipe.dapo.main_dapo \\",
    ...overrides.map((a) => `  ${a} \\`),
    '  "$@"',
    "",
  ].join("\n");
  files.set("run.sh", script);
}

/** Options whose value is a file of the recipe: run.sh passes them as "$HERE/<file>". */
const HERE_PATHS = new Set(["actor_rollout_ref.model.lora_adapter_path", "actor_rollout_ref.rollout.agent.agent_loop_config_path"]);

/** A value as a Hydra command-line override (lists in brackets, strings quoted when they need it). */
function hydraValue(v: unknown): string {
  if (Array.isArray(v)) return `'[${v.map((x) => (typeof x === "string" ? x : yamlScalar(x))).join(",")}]'`;
  if (typeof v === "string") return v.startsWith("$") ? `"${v}"` : /^[\w.-]+$/.test(v) ? v : `'${v}'`;
  if (v === null) return "null";
  return yamlScalar(v);
}

function trlFiles(o: RecipeOptions, notes: string[], files: Map<string, string | Uint8Array>): void {
  const { values } = engineOptions("trl", o.config, o.lora);
  const sections: Record<string, Record<string, unknown>> = { grpo: {}, lora: {}, reward: {}, tapo: {} };
  for (const [k, v] of values) {
    const [head, ...rest] = k.split(".");
    if (rest.length > 0 && head! in sections) sections[head!]![rest.join(".")] = v;
    else sections.grpo![k] = v;
  }
  sections.grpo!.bf16 = true;
  sections.grpo!.eval_strategy = "no";
  sections.lora!.lora_dropout = 0;
  sections.reward!.default_format = o.format.name;
  sections.tapo!.python_timeout_s = 2;
  sections.tapo!.tools = o.format.calls.some((c) => c.json);
  const header = [
    `TAPO Studio experiment for TRL's GRPOTrainer, written by tapo recipe (${o.tasks.label}, format ${o.format.name}).`,
    "grpo: GRPOConfig arguments; lora: peft LoraConfig arguments (ignored when ./adapter exists: training goes on from it);",
    "reward: tapo_reward.make_trl_reward arguments; tapo: what train_trl.py's tools read.",
    ...(notes.length ? ["", "Settings without a counterpart or carried over approximately:", ...notes.map((n) => `note: ${n}`), ""] : []),
  ];
  files.set("config.yaml", toYaml({ model: o.model, ...sections }, header));
  files.set("train_trl.py", o.sources.trainTrl);
  const { suggested } = gpusFor(o.model);
  const script = [
    "#!/usr/bin/env bash",
    "# TAPO Studio experiment on TRL (written by tapo recipe --to trl): the one command that starts training.",
    "# GPUS (processes on this node), MODEL and OUT override the defaults; for several nodes, use accelerate's",
    "# multi-node flags (--num_machines, --machine_rank, --main_process_ip). Settings are in config.yaml.",
    "set -euo pipefail",
    'HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    `accelerate launch --num_processes "\${GPUS:-${Math.min(8, suggested)}}" "$HERE/train_trl.py" "$@"`,
    "",
  ].join("\n");
  files.set("run.sh", script);
}

/** The recipe's files and notes; throws RecipeError when it cannot be made as asked. */
export function recipeFiles(o: RecipeOptions): RecipeFiles {
  if (o.format.pythonNums) {
    throw new RecipeError(`format ${o.format.name} binds the question's numbers as nums for the bundled tiny model; a cluster run trains a real model: use the tapo, search-r1 or qwen-native format`);
  }
  if (o.tasks.train.length === 0) throw new RecipeError(`${o.tasks.label} has no training tasks`);
  const files = new Map<string, string | Uint8Array>();
  const { notes } = engineOptions(o.engine, o.config, o.lora);
  notes.push(...formatNotes(o.engine, o.format));
  const maxTurns = o.config.maxTurns;
  const train = splitRows(o.engine, o.tasks.train, "train", o.format, maxTurns);
  const test = splitRows(o.engine, o.tasks.test, "test", o.format, maxTurns);
  files.set("train.parquet", new Uint8Array(rowsToParquet(o.engine, train)));
  files.set("test.parquet", new Uint8Array(rowsToParquet(o.engine, test)));
  files.set("tapo_reward.py", o.sources.rewardModule);
  files.set("tapo_tools.py", o.sources.tools);
  files.set("corpus.jsonl", o.sources.corpus);
  for (const [name, bytes] of Object.entries(o.adapter?.files ?? {})) files.set(`adapter/${name}`, bytes);
  if (o.engine === "verl") verlFiles(o, notes, promptTokens([...train, ...test]), files);
  else trlFiles(o, notes, files);
  const readmeInput = { ...o, ...(o.adapter ? { adapterDir: o.adapter.from } : {}) };
  files.set("README.md", recipeReadme(readmeInput, notes, { train: train.length, test: test.length }));
  return { files, notes };
}

/** The LoRA settings of a PEFT adapter_config.json (its text); `where` names it in errors. */
export function loraOfAdapterConfig(text: string, where: string): LoraSettings {
  let c: { r?: number; lora_alpha?: number; target_modules?: string[] | string };
  try {
    c = JSON.parse(text) as typeof c;
  } catch {
    throw new RecipeError(`${where} is not valid JSON`);
  }
  const targets = Array.isArray(c.target_modules) ? c.target_modules.map((t) => t.replace(/_proj$/, "")) : [];
  if (typeof c.r !== "number" || typeof c.lora_alpha !== "number" || targets.length === 0) {
    throw new RecipeError(`${where} must give r, lora_alpha and a list of target_modules`);
  }
  return { r: c.r, alpha: c.lora_alpha, targets: targets as LoraSettings["targets"] };
}
