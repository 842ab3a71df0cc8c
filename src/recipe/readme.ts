// The README.md a recipe folder carries: what to install (the engine version
// the settings were checked against), how many GPUs the model needs, how to
// start, how to go on from our PEFT adapter, the notes, and the settings table.
import gpus from "./gpus.json";
import type { RolloutFormat } from "../protocol/format";
import { type Engine, SETTINGS_MAP, settingsTableMarkdown } from "./settings_map";

/** What the README says about a recipe (a part of recipe.ts's RecipeOptions). */
export type ReadmeInput = { engine: Engine; tasks: { label: string }; format: Pick<RolloutFormat, "name" | "calls">; model: string; adapterDir?: string };

type GpuRow = { upTo: number; least: number; suggested: number; tensorParallel: number };

/** Billions of parameters a model name states ("Qwen/Qwen2.5-7B-Instruct" → 7), or undefined. */
export function modelBillions(model: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])/.exec(model.split("/").pop() ?? model);
  return m ? Number(m[1]) : undefined;
}

/** 80 GB GPUs for the model (the 7B row when the name states no size). */
export function gpusFor(model: string): GpuRow & { billions?: number } {
  const billions = modelBillions(model);
  const rows = gpus.sizes as GpuRow[];
  const row = rows.find((r) => (billions ?? 7) <= r.upTo) ?? rows[rows.length - 1]!;
  return { ...row, ...(billions !== undefined ? { billions } : {}) };
}

const INSTALL = {
  verl: [
    "```bash",
    "git clone https://github.com/volcengine/verl && cd verl",
    "git checkout b178a3cd56f58b2d502255daba591e92833930a7 && git submodule update --init recipe",
    "pip install -e .[sglang]   # or .[vllm]; see verl's installation docs for the CUDA/torch pairing",
    "```",
    "",
    "`run.sh` runs `python3 -m recipe.dapo.main_dapo` from that checkout (or from `VERL_DIR`).",
  ],
  trl: [
    "```bash",
    'pip install "trl==1.9.0" "transformers>=5.0" jmespath peft accelerate datasets pyyaml',
    "```",
    "",
    "TRL 1.9.0's `GRPOTrainer` takes `tools=` (a list of Python functions) and runs the model's chat-template tool calls",
    "for up to `max_tool_calling_iterations` turns; `train_trl.py` passes the studio's Python and search tools that way",
    "(tools need transformers >= 5.0 and jmespath; for Qwen2.5 TRL swaps in its prefix-preserving training chat template).",
    "It has no dynamic sampling (see the notes).",
  ],
};

/** README.md of a recipe folder. */
export function recipeReadme(o: ReadmeInput, notes: string[], counts: { train: number; test: number }): string {
  const engine = SETTINGS_MAP.engines[o.engine];
  const g = gpusFor(o.model);
  const size = g.billions === undefined ? "a model whose name states no size (counted as 7B)" : `a ${g.billions}B model`;
  const adapter = o.adapterDir
    ? [
        "This recipe starts from the PEFT adapter in `adapter/` (copied from `" + o.adapterDir + "`): " +
          (o.engine === "verl" ? "`actor_rollout_ref.model.lora_adapter_path` points at it." : "`train_trl.py` loads it with `PeftModel.from_pretrained(..., is_trainable=True)` and trains it on."),
        "Its rank, alpha and targets are the adapter's.",
      ]
    : [
        "To start from a studio adapter (e.g. `tapo sft` or `tapo train --out DIR`, which writes `DIR/adapter`), write the recipe again with",
        "`--adapter DIR/adapter`; to start from a whole model (`tapo sft --full --out DIR` writes one to `DIR/model`, a Hugging Face folder), pass its folder as `--model` (or `MODEL=` to run.sh).",
      ];
  return [
    `# TAPO Studio experiment on ${engine.label}`,
    "",
    `Written by \`tapo recipe --to ${o.engine}\` from ${o.tasks.label}: ${counts.train} training and ${counts.test} test tasks, rollout format \`${o.format.name}\`, base model \`${o.model}\`.`,
    "Nothing here was run by the studio: it has no GPU cluster, and the engines cannot be installed where the recipe was written.",
    "",
    "## Install",
    "",
    `Settings checked against ${engine.version}.`,
    "",
    ...INSTALL[o.engine],
    "",
    "## GPUs",
    "",
    `For ${size} with LoRA: at least ${g.least} × 80 GB GPU${g.least > 1 ? "s" : ""}, ${g.suggested} to keep generation from dominating.`,
    o.engine === "verl"
      ? `run.sh defaults to ${Math.min(8, g.suggested)} GPUs per node on ${Math.ceil(g.suggested / 8)} node(s) (\`GPUS=\`, \`NNODES=\`). On a multi-node Ray cluster, put this folder at the same path on every node: the tools and the reward are imported from it.`
      : `run.sh starts ${Math.min(8, g.suggested)} processes on this machine (\`GPUS=\`); more nodes need accelerate's multi-node flags.`,
    "",
    "## Start",
    "",
    "```bash",
    o.engine === "verl" ? "VERL_DIR=/path/to/verl bash run.sh" : "bash run.sh",
    "```",
    "",
    ...adapter,
    "",
    "## Files",
    "",
    "- `train.parquet`, `test.parquet`: the studio's splits, prompts with the format's system prompt",
    "- `tapo_reward.py`: the studio's reward (standard library only)",
    "- `tapo_tools.py` and `corpus.jsonl`: the Python tool (subprocess, 2 s limit) and local search over the same corpus",
    ...(o.engine === "verl" ? ["- `config.yaml`: every option run.sh sets; `tool_config.yaml`: verl's multi-turn tools (JSON tool calls)"] : ["- `config.yaml`, `train_trl.py`"]),
    ...(o.engine === "verl" && !o.format.calls.some((c) => c.json)
      ? ["- `tapo_agent_loop.py`, `tapo_loop.json`, `agent_loop.yaml`: the studio's rollout loop for tag formats, as a verl agent loop (tested here with a fake tokenizer and server only)"]
      : []),
    "",
    "## Notes",
    "",
    ...(notes.length ? notes.map((n) => `- ${n}`) : ["- every setting has a counterpart"]),
    "",
    "## Settings",
    "",
    settingsTableMarkdown(),
    "",
  ].join("\n");
}
