// `tapo`: the headless command line (DESIGN.md's contract). Runs the engine in
// headless Chromium by default, or under Node + Dawn with `--runtime node`.
// With --json, stdout is one JSON object per line; on failure the exit code is
// non-zero and stderr has one line starting `error:`.
import { getFormat, pythonCodeToRun } from "../../rollout/formats.ts";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { WeightFormat } from "../../protocol/tensors.ts";
import type { EngineCommand, FilesSpec } from "../engine/engine.ts";
import { FileServer } from "./file_server.ts";
import { runInBrowser, runInNode } from "./host.ts";
import { parseInputIds } from "./inputs.ts";
import { describeLoad, parseTracesJsonl } from "../../traces/jsonl.ts";
import { MAX_TRACES_FILE_BYTES, TracesFileTooLargeError } from "../../traces/read_file.ts";
import { DEFAULT_LORA } from "../../protocol/lora.ts";
import { configArg, formatArg, intFlag, loraArgs, taskSourceArg } from "./train_args.ts";

const USAGE = [
  "usage:",
  "  tapo train --model M --task T [--adapter DIR] [--steps N] [--seed S] [--out DIR] [--config F] [--quant Q] [--eval-every N] [--eval-n N] [--eval-samples K] [--lora-r R] [--lora-alpha A] [--lora-targets q,v|all] [--checkpoint-every N] [--backend B] [--json]",
  "  tapo sft --model M --traces F.jsonl --out DIR [--full] [--steps N] [--batch N] [--lr X] [--lora-r R] [--lora-alpha A] [--lora-targets q,v|all] [--include-wrong] [--seed S] [--format NAME|F.json] [--json]",
  "  tapo eval --model M [--adapter DIR] --task T [--n N] [--seed S] [--out DIR] [--sampled] [--config F] [--quant Q] [--backend B] [--json]",
  "  train/eval: [--format NAME|F.json] picks a rollout format preset, or overrides fields of the tapo preset from a JSON file",
  "  tapo logprobs --model M [--adapter DIR] [--quant none|q8_0|q4_0] --input F.jsonl [--grad OUT.safetensors] [--json]",
  "  tapo bench [--model M] [--quant none|q8_0|q4_0] [--json]",
  "  tapo tool python CODE [--question Q] | tapo tool search QUERY [--backend local|wikipedia|searxng:URL] [--json]",
  "        --question Q runs CODE as the tiny format's rollouts of Q do, with Q's numbers bound as the list nums",
  "common: [--runtime browser|node]; M is tiny (the bundled model), a folder of Hugging Face files, a .gguf file, or a hub id (owner/name);",
  "        T is builtin, tiny (short questions sized for the bundled tiny model), a built-in category (compute, fact1, fact2, mixed, easy) or a JSONL/CSV/Parquet file; --out DIR resumes a run saved there",
].join("\n");

function parseQuant(q: string): WeightFormat {
  if (q === "none" || q === "f32") return "f32";
  if (q === "q8_0" || q === "q4_0") return q;
  throw new Error(`--quant must be none, q8_0 or q4_0, got "${q}"`);
}

function format(record: Record<string, unknown>): string {
  if (record.event === "tool") return String(record.response);
  if (record.event === "bench") {
    const v = record.value as number;
    const name = record.kernel ? `${String(record.name)} ${String(record.kernel)}` : String(record.name);
    return `${name.padEnd(34)} ${v.toPrecision(4).padStart(10)} ${record.unit}${record.note ? `  (${record.note})` : ""}`;
  }
  return JSON.stringify(record);
}

/** A model or adapter argument: a local path (served to the engine) or a hub id. */
function filesArg(arg: string, server: FileServer, what: string): FilesSpec {
  if (arg === "tiny") {
    const tiny = fileURLToPath(new URL("../../../public/models/tiny", import.meta.url));
    if (!existsSync(`${tiny}/config.json`)) throw new Error("the bundled tiny model is missing: run `npm run build:tiny-model`");
    return { kind: "served", ...server.serve(tiny), label: "tiny" };
  }
  if (existsSync(arg)) return { kind: "served", ...server.serve(resolve(arg)) };
  if (/^[\w.-]+\/[\w.-]+$/.test(arg)) return { kind: "hub", repo: arg };
  throw new Error(`${what} "${arg}" is neither an existing file or folder nor a hub id like Qwen/Qwen2.5-0.5B`);
}

/** Runs `work` with a started file server (the engine reads local files through it), stopping it after. */
async function withFileServer(work: (server: FileServer) => Promise<void>): Promise<void> {
  const server = new FileServer();
  await server.start();
  try {
    await work(server);
  } finally {
    await server.stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (name !== "bench" && name !== "logprobs" && name !== "tool" && name !== "train" && name !== "eval" && name !== "sft") {
    throw new Error(name ? `unknown command "${name}". ${USAGE}` : USAGE);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: name === "tool",
    options: {
      model: { type: "string" },
      adapter: { type: "string" },
      quant: { type: "string" },
      input: { type: "string" },
      grad: { type: "string" },
      runtime: { type: "string", default: "browser" },
      json: { type: "boolean", default: false },
      backend: { type: "string" },
      task: { type: "string" },
      steps: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      config: { type: "string" },
      n: { type: "string" },
      sampled: { type: "boolean", default: false },
      "eval-every": { type: "string" },
      "eval-n": { type: "string" },
      question: { type: "string" },
      "eval-samples": { type: "string" },
      "checkpoint-every": { type: "string" },
      format: { type: "string" },
      traces: { type: "string" },
      batch: { type: "string" },
      lr: { type: "string" },
      "lora-r": { type: "string" },
      "lora-alpha": { type: "string" },
      "lora-targets": { type: "string" },
      "include-wrong": { type: "boolean", default: false },
      full: { type: "boolean", default: false },
    },
    strict: true,
  });
  const emit = (record: Record<string, unknown>) => {
    process.stdout.write(`${values.json ? JSON.stringify(record) : format(record)}\n`);
  };
  const run = values.runtime === "node" ? runInNode : values.runtime === "browser" ? runInBrowser : undefined;
  if (!run) throw new Error(`--runtime must be browser or node, got "${values.runtime}"`);
  if (name === "tool") {
    const [tool, ...words] = positionals;
    if (tool !== "python" && tool !== "search") throw new Error(`tool takes python or search, got "${tool ?? ""}". ${USAGE}`);
    if (words.length === 0) throw new Error(`tool ${tool} needs the ${tool === "python" ? "code" : "query"} to run`);
    if (values.question !== undefined && tool !== "python") throw new Error("--question goes with tool python (it binds the question's numbers as nums)");
    // --question Q: the code runs as a tiny-format rollout of Q runs it, with Q's numbers bound as nums.
    const text = values.question !== undefined ? pythonCodeToRun(getFormat("tiny"), values.question, words.join(" ")) : words.join(" ");
    await run({ name, tool, text, ...(values.backend ? { backend: values.backend } : {}) }, emit);
    return;
  }
  if (name === "bench") {
    await run({ name, model: values.model ?? "Qwen/Qwen2.5-0.5B", quant: parseQuant(values.quant ?? "q4_0") }, emit);
    return;
  }
  if (name === "sft") {
    if (!values.model) throw new Error("sft needs --model");
    if (!values.traces) throw new Error("sft needs --traces F.jsonl (Trace v1 lines, e.g. a run's traces.jsonl)");
    if (!values.out) throw new Error("sft needs --out DIR, where the adapter is written");
    const [modelArg, outDir] = [values.model, resolve(values.out)];
    if (!existsSync(values.traces)) throw new Error(`--traces ${values.traces} does not exist`);
    const tracesBytes = statSync(values.traces).size;
    if (tracesBytes > MAX_TRACES_FILE_BYTES) throw new TracesFileTooLargeError(values.traces, tracesBytes);
    const loaded = parseTracesJsonl(readFileSync(values.traces, "utf8"));
    if (loaded.skipped.length > 0) emit({ event: "note", message: describeLoad(values.traces, loaded) });
    if (loaded.traces.length === 0) throw new Error(`${values.traces} holds no valid traces (one Trace v1 JSON object a line)`);
    const lr = values.lr === undefined ? 1e-3 : Number(values.lr);
    if (!(lr > 0 && lr < 1)) throw new Error(`--lr must be a number between 0 and 1, got "${values.lr ?? ""}"`);
    const format = formatArg(values.format);
    await withFileServer(async (server) => {
      const command: EngineCommand = {
        name,
        model: filesArg(modelArg, server, "--model"),
        quant: parseQuant(values.quant ?? "q4_0"),
        traces: loaded.traces,
        steps: intFlag(values.steps, "steps", 50, 1),
        batch: intFlag(values.batch, "batch", 8, 1),
        lr,
        seed: intFlag(values.seed, "seed", 1),
        lora: loraArgs(values) ?? { ...DEFAULT_LORA, targets: [...DEFAULT_LORA.targets] },
        includeWrong: values["include-wrong"],
        full: values.full,
        maxTurns: 4,
        ...(format ? { format } : {}),
        out: server.serveFolder(outDir),
        outPath: outDir,
      };
      await run(command, emit, server);
    });
    return;
  }
  if (name === "train" || name === "eval") {
    if (!values.model) throw new Error(`${name} needs --model`);
    if (!values.task) throw new Error(`${name} needs --task (builtin, tiny, a category, or a dataset file)`);
    const modelArg = values.model;
    const seed = intFlag(values.seed, "seed", 1);
    const config = configArg(values.config);
    const note = (message: string) => emit({ event: "note", message });
    const tasks = await taskSourceArg(values.task, seed, note);
    await withFileServer(async (server) => {
      const model = filesArg(modelArg, server, "--model");
      const quant = parseQuant(values.quant ?? "q4_0");
      const out = values.out ? { out: server.serveFolder(resolve(values.out)), outPath: resolve(values.out) } : {};
      const backend = values.backend ? { searchBackend: values.backend } : {};
      const format = formatArg(values.format);
      if (name === "train") {
        const steps = intFlag(values.steps, "steps", 10, 1);
        const lora = loraArgs(values);
        if (lora && values.adapter) throw new Error("--lora-r, --lora-alpha and --lora-targets start a fresh adapter; with --adapter the run goes on with that adapter's settings, so leave them out");
        const request = {
          tasks,
          config,
          steps,
          seed,
          evalEvery: intFlag(values["eval-every"], "eval-every", 0),
          evalTasks: intFlag(values["eval-n"], "eval-n", 32),
          evalSamples: intFlag(values["eval-samples"], "eval-samples", 0),
          ...(lora ? { lora } : {}),
          checkpointEvery: intFlag(values["checkpoint-every"], "checkpoint-every", 1, 1),
          ...backend,
          ...(format ? { format } : {}),
        };
        const adapter = values.adapter ? { adapter: filesArg(values.adapter, server, "--adapter") } : {};
        await run({ name, model, ...adapter, quant, request, ...out }, emit, server);
      } else {
        const adapter = values.adapter ? { adapter: filesArg(values.adapter, server, "--adapter") } : {};
        const n = intFlag(values.n, "n", 64, 1);
        await run({ name, model, ...adapter, quant, tasks, n, seed, mode: values.sampled ? "sampled" : "greedy", config, ...backend, ...(format ? { format } : {}), ...(out.out ? { out: out.out } : {}) }, emit, server);
      }
    });
    return;
  }
  if (!values.model) throw new Error("logprobs needs --model");
  if (!values.input) throw new Error("logprobs needs --input F.jsonl");
  if (!existsSync(values.input)) throw new Error(`--input ${values.input} does not exist`);
  const inputs = parseInputIds(readFileSync(values.input, "utf8"), values.input);
  const modelArg = values.model;
  await withFileServer(async (server) => {
    const command: EngineCommand = {
      name,
      model: filesArg(modelArg, server, "--model"),
      ...(values.adapter ? { adapter: filesArg(values.adapter, server, "--adapter") } : {}),
      quant: parseQuant(values.quant ?? "q4_0"),
      inputs,
      ...(values.grad ? { gradUpload: server.acceptUpload(resolve(values.grad)) } : {}),
    };
    await run(command, emit, server);
  });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message.split("\n")[0]}\n`);
    process.exit(1);
  },
);
