// The command line's commands and flags, in one table: what `tapo --help` and
// `tapo <command> --help` print, and what parsing accepts. A flag's default
// here is the value the command uses when the flag is left out (the table
// feeds node:util's parseArgs), so the help cannot drift from the behaviour.
import { parseArgs } from "node:util";
import { DEFAULT_LORA } from "../../protocol/lora.ts";

export type CommandName = "train" | "eval" | "sft" | "logprobs" | "bench" | "tool" | "recipe" | "export";

type Flag = {
  type: "string" | "boolean";
  /** The value's placeholder in the help ("N", "DIR"). */
  value?: string;
  /** Used when the flag is left out. */
  default?: string;
  /** Shown as the default when it depends on other flags (no `default` then). */
  shownDefault?: string;
  required?: boolean;
  help: string;
};

type Command = { summary: string; usage: string; flags: Record<string, Flag> };

const MODEL: Flag = { type: "string", value: "M", required: true, help: "tiny (the bundled model), a folder of Hugging Face files, a .gguf file, or a hub id (owner/name)" };
const QUANT: Flag = {
  type: "string",
  value: "Q",
  shownDefault: "a resumed run's own, else none for --model tiny and q4_0 otherwise",
  help: "base weights as none (f32), q8_0 or q4_0",
};
const TASK: Flag = {
  type: "string",
  value: "T",
  required: true,
  help: "builtin (at the model's level: tiny for the bundled model, else full), full, tiny (questions sized for the bundled model), a category (compute, fact1, fact2, mixed, easy) or a JSONL/CSV/Parquet file",
};
const SEED: Flag = { type: "string", value: "S", default: "1", help: "seeds task order, sampling and a fresh adapter" };
const CONFIG: Flag = { type: "string", value: "F", shownDefault: "TAPO's reference settings, then the model's tapo.json", help: "a JSON object of DAPO settings (src/rl/config_doc.json names each)" };
const FORMAT: Flag = { type: "string", value: "NAME|F.json", shownDefault: "the model's tapo.json, else tapo", help: "rollout format preset, or a JSON file of fields overriding the tapo preset" };
// No parsed default: a resumed run keeps its own backend unless the flag is given.
const BACKEND: Flag = { type: "string", value: "B", shownDefault: "local, or a resumed run's own", help: "search backend: local (the bundled index), wikipedia or searxng:URL" };
const ADAPTER: Flag = { type: "string", value: "DIR", help: "a PEFT LoRA adapter folder applied to the model" };
const LORA: Record<string, Flag> = {
  "lora-r": { type: "string", value: "R", shownDefault: String(DEFAULT_LORA.r), help: "LoRA rank of a fresh adapter" },
  "lora-alpha": { type: "string", value: "A", shownDefault: String(DEFAULT_LORA.alpha), help: "LoRA alpha (the update is scaled by alpha / r)" },
  "lora-targets": { type: "string", value: "q,v|all", shownDefault: "all", help: "projections that get an adapter: q, k, v, o, gate, up, down" },
};

export const COMMANDS: Record<CommandName, Command> = {
  train: {
    summary: "DAPO training of a LoRA adapter with the search and Python tools",
    usage: "tapo train --model M --task T [flags]",
    flags: {
      model: MODEL,
      task: TASK,
      steps: { type: "string", value: "N", default: "10", help: "training steps (a resumed run goes on to N)" },
      seed: SEED,
      out: { type: "string", value: "DIR", help: "saves the run there (checkpoints/, log/, run.json; at the end adapter/, traces.jsonl, metrics.jsonl); a run already there resumes" },
      config: CONFIG,
      quant: QUANT,
      adapter: { ...ADAPTER, help: "a PEFT LoRA adapter folder to go on training (e.g. tapo sft's), instead of a fresh one" },
      "eval-every": { type: "string", value: "N", default: "0", help: "evaluate every N steps besides before and after (0: only before and after)" },
      "eval-n": { type: "string", value: "N", default: "32", help: "held-out tasks per evaluation (0: none)" },
      "eval-samples": { type: "string", value: "K", default: "0", help: "also evaluate K samples per task at the training temperature (avg@K)" },
      "checkpoint-every": { type: "string", value: "N", default: "1", help: "save a checkpoint every N steps" },
      ...LORA,
      format: FORMAT,
      backend: BACKEND,
    },
  },
  eval: {
    summary: "accuracy and tool use on held-out tasks, greedy or sampled",
    usage: "tapo eval --model M --task T [flags]",
    flags: {
      model: MODEL,
      task: TASK,
      adapter: ADAPTER,
      n: { type: "string", value: "N", default: "64", help: "held-out tasks to evaluate (at most the held-out split)" },
      seed: SEED,
      sampled: { type: "boolean", help: "sample at the training temperature instead of greedy decoding" },
      out: { type: "string", value: "DIR", help: "writes traces.jsonl and metrics.jsonl there" },
      config: CONFIG,
      quant: QUANT,
      format: FORMAT,
      backend: BACKEND,
    },
  },
  sft: {
    summary: "supervised fine-tuning on demonstration traces (a cold start before DAPO)",
    usage: "tapo sft --model M --traces F.jsonl --out DIR [flags]",
    flags: {
      model: MODEL,
      traces: { type: "string", value: "F.jsonl", required: true, help: "Trace v1 lines, e.g. a run's traces.jsonl; traces judged wrong are left out" },
      out: { type: "string", value: "DIR", required: true, help: "where the adapter (or, with --full, the model) is written" },
      full: { type: "boolean", help: "train every parameter in f32 and write DIR/model/, a Hugging Face folder" },
      steps: { type: "string", value: "N", default: "50", help: "optimizer steps" },
      batch: { type: "string", value: "N", default: "8", help: "traces per step" },
      lr: { type: "string", value: "X", default: "1e-3", help: "learning rate" },
      ...LORA,
      "include-wrong": { type: "boolean", help: "keep traces whose reward says they are wrong" },
      seed: SEED,
      quant: QUANT,
      format: FORMAT,
    },
  },
  logprobs: {
    summary: "per-token log-probabilities (and optionally gradients) of given token ids",
    usage: "tapo logprobs --model M --input F.jsonl [flags]",
    flags: {
      model: MODEL,
      input: { type: "string", value: "F.jsonl", required: true, help: 'one {"input_ids": [token ids]} a line' },
      adapter: ADAPTER,
      quant: QUANT,
      grad: { type: "string", value: "OUT.safetensors", help: "also write the adapter's gradients of the summed log-probabilities" },
    },
  },
  bench: {
    summary: "kernel, training, prefill and decode speed on this machine's GPU",
    usage: "tapo bench [flags]",
    flags: {
      model: { type: "string", value: "M", default: "Qwen/Qwen2.5-0.5B", help: "the shapes to measure (hub id of a Qwen2.5 model, or test/tiny for a quick smoke run)" },
      quant: { ...QUANT, default: "q4_0", shownDefault: undefined },
    },
  },
  tool: {
    summary: "one tool call, run exactly as a rollout runs it",
    usage: "tapo tool python CODE [--question Q] | tapo tool search QUERY [--backend B]",
    flags: {
      question: { type: "string", value: "Q", help: "tool python: run CODE as the tiny format's rollouts of Q do, with Q's numbers bound as the list nums" },
      backend: BACKEND,
    },
  },
  recipe: {
    summary: "the same experiment as a ready recipe for verl or TRL: Parquet data, reward, tools, config, run.sh (runs in Node)",
    usage: "tapo recipe --to verl|trl --task T --out DIR [flags]",
    flags: {
      to: { type: "string", value: "verl|trl", required: true, help: "the engine the recipe is for" },
      task: { ...TASK, help: "builtin or full (the full-level built-in tasks), tiny, a category (compute, fact1, fact2, mixed, easy) or a JSONL/CSV/Parquet file; the splits are exactly tapo train's" },
      out: { type: "string", value: "DIR", required: true, help: "the recipe folder (created; files with the same names are replaced)" },
      config: { ...CONFIG, shownDefault: "TAPO's reference settings" },
      format: { ...FORMAT, shownDefault: "tapo" },
      model: { type: "string", value: "HUB_ID", default: "Qwen/Qwen2.5-7B-Instruct", help: "the base model the cluster trains (a hub id, or a path on the cluster)" },
      adapter: { ...ADAPTER, help: "a PEFT LoRA adapter folder to start from (copied into the recipe; its rank, alpha and targets are kept)" },
      seed: SEED,
      ...LORA,
    },
  },
  export: {
    summary: "merges a LoRA adapter into the model and writes it as a Hugging Face folder or a llama.cpp GGUF (CPU, no GPU needed)",
    usage: "tapo export --model M [--adapter DIR] --to safetensors|gguf [--dtype D] --out DIR",
    flags: {
      model: { ...MODEL, help: "tiny (the bundled model), a folder of Hugging Face files or a .gguf file" },
      adapter: { ...ADAPTER, help: "a PEFT LoRA adapter folder merged into the weights (W + alpha/r·B·A, in f32)" },
      to: { type: "string", value: "safetensors|gguf", required: true, help: "safetensors (a Hugging Face folder) or gguf (one file for llama.cpp)" },
      dtype: { type: "string", value: "f32|f16|q8_0|q4_0", default: "f32", help: "weights as f32 or f16 (safetensors, gguf), q8_0 or q4_0 (gguf)" },
      out: { type: "string", value: "DIR", required: true, help: "the folder written (created when missing): config, tokenizer and model.safetensors, or model.gguf" },
    },
  },
};

const COMMON: Record<string, Flag> = {
  runtime: { type: "string", value: "R", default: "browser", help: "browser (headless Chromium, WebGPU) or node (Dawn)" },
  json: { type: "boolean", help: "one JSON object per line on stdout" },
  help: { type: "boolean", help: "print this help and exit" },
};

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

function flagRows(flags: Record<string, Flag>): (readonly [string, string])[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `--${name}${name === "help" ? ", -h" : ""}${f.value ? ` ${f.value}` : ""}`;
    const def = f.required ? "required" : f.default !== undefined ? `default ${f.default}` : f.shownDefault ? `default: ${f.shownDefault}` : undefined;
    return [left, def ? `${f.help} (${def})` : f.help] as const;
  });
}

/** Each group of flags under its heading, in two columns as wide as the widest flag of all groups. */
function flagSections(sections: [string, Record<string, Flag>][]): string[] {
  const rows = sections.map(([heading, flags]) => [heading, flagRows(flags)] as const);
  const width = Math.max(...rows.flatMap(([, r]) => r.map(([l]) => l.length))) + 2;
  return rows.flatMap(([heading, r], i) => [...(i > 0 ? [""] : []), heading, ...r.map(([l, text]) => `  ${l.padEnd(width)}${text}`)]);
}

/** `tapo <command> --help`. */
export function commandHelp(name: CommandName): string {
  const c = COMMANDS[name];
  return [`tapo ${name}: ${c.summary}`, "", `usage: ${c.usage}`, "", ...flagSections([["flags:", c.flags], ["common flags:", COMMON]])].join("\n");
}

/** `tapo --help`: every command in a line. */
export function overviewHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    "tapo: TAPO Studio's engine on the command line (headless Chromium with WebGPU, or Node with --runtime node)",
    "",
    "usage: tapo <command> [flags]   (tapo <command> --help lists a command's flags and defaults)",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}${c.summary}`),
    "",
    ...flagSections([["common flags:", COMMON]]),
  ].join("\n");
}

export type ParsedArgs = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/**
 * A command's flags with their defaults filled in; a flag the command does not take, a missing value or a
 * missing required flag throws a message that names it and points at the command's help.
 */
export function parseCommandArgs(name: CommandName, args: string[]): ParsedArgs {
  const flags = { ...COMMANDS[name].flags, ...COMMON };
  const options = Object.fromEntries(
    Object.entries(flags).map(([flag, f]) => [flag, { type: f.type, ...(flag === "help" ? { short: "h" } : {}), ...(f.default !== undefined ? { default: f.default } : {}) }]),
  );
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args, options, allowPositionals: name === "tool", strict: true }) as ParsedArgs;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new Error(`tapo ${name} takes no flag ${unknown[1]}: tapo ${name} --help lists its flags`, { cause: error });
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional) throw new Error(`tapo ${name} takes no argument "${positional[1]}" (flags start with --): tapo ${name} --help lists them`, { cause: error });
    throw new Error(`${message.replace(/\.$/, "")}: tapo ${name} --help lists the flags`, { cause: error });
  }
  if (parsed.values.help) return parsed;
  for (const [flag, f] of Object.entries(flags)) {
    const value = parsed.values[flag];
    if (f.required && (value === undefined || value === "")) throw new Error(`tapo ${name} needs --${flag} ${f.value ?? ""}: ${f.help}`);
  }
  return parsed;
}
