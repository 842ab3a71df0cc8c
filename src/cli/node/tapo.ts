// `tapo`: the headless command line (DESIGN.md's contract). Runs the engine in
// headless Chromium by default, or under Node + Dawn with `--runtime node`.
// With --json, stdout is one JSON object per line; on failure the exit code is
// non-zero and stderr has one line starting `error:`.
import { getFormat, pythonCodeToRun } from "../../rollout/formats.ts";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WeightFormat } from "../../protocol/tensors.ts";
import type { EngineCommand, FilesSpec } from "../engine/engine.ts";
import { FileServer } from "./file_server.ts";
import { runInBrowser, runInNode } from "./host.ts";
import { parseInputIds } from "./inputs.ts";
import { describeLoad, parseTracesJsonl } from "../../traces/jsonl.ts";
import { MAX_TRACES_FILE_BYTES, TracesFileTooLargeError } from "../../traces/read_file.ts";
import { DEFAULT_LORA } from "../../protocol/lora.ts";
import { defaultQuantization } from "../../sources/presets.ts";
import { commandHelp, isCommand, overviewHelp, parseCommandArgs } from "./commands.ts";
import { configArg, formatArg, intFlag, loraArgs, savedRunQuant, taskSourceArg } from "./train_args.ts";

/** A mistake in how tapo was called: its one `error:` line, then the help that says what is possible. */
type StringFlag =
  | "model" | "adapter" | "quant" | "input" | "grad" | "runtime" | "backend" | "task" | "steps" | "seed" | "out" | "config" | "n"
  | "eval-every" | "eval-n" | "question" | "eval-samples" | "checkpoint-every" | "format" | "traces" | "batch" | "lr"
  | "lora-r" | "lora-alpha" | "lora-targets" | "to" | "dtype";

class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
  }
}

function parseQuant(q: string): WeightFormat {
  if (q === "none" || q === "f32") return "f32";
  if (q === "q8_0" || q === "q4_0") return q;
  throw new Error(`--quant must be none, q8_0 or q4_0, got "${q}"`);
}

/**
 * --quant, or the model's default: none (f32) for the bundled tiny model, which the app loads in f32 too (it
 * is a few MB, and quantizing it changes what it does), q4_0 for every other model.
 */
function quantFor(model: string, quant: string | undefined): WeightFormat {
  return parseQuant(quant ?? defaultQuantization(model === "tiny"));
}

/** A progress record as a line for people: "step 2 · generate 12/32 · 3.1/s · ~6 s left". */
function progressLine(r: Record<string, unknown>): string {
  const left = r.seconds_left === null ? "" : ` · ~${String(r.seconds_left)} s left`;
  return `step ${String(r.step)} · ${String(r.phase)} ${String(r.done)}/${String(r.total)} · ${String(r.per_second)}/s${left}`;
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

/** Whether an argument can only be meant as a path: ./x, ../x, /x, ~/x, a .gguf file, or more than one "/". */
function looksLikePath(arg: string): boolean {
  return /^(\.{1,2}|~)?\//.test(arg) || /\.gguf$/i.test(arg) || arg.split("/").length > 2 || arg.includes("\\");
}

/** A model or adapter argument: a local path (served to the engine) or a hub id. */
function filesArg(arg: string, server: FileServer, what: string): FilesSpec {
  if (arg === "tiny") {
    const tiny = fileURLToPath(new URL("../../../public/models/tiny", import.meta.url));
    if (!existsSync(`${tiny}/config.json`)) throw new Error("the bundled tiny model is missing: run `npm run build:tiny-model`");
    return { kind: "served", ...server.serve(tiny), label: "tiny" };
  }
  if (existsSync(arg)) return { kind: "served", ...server.serve(resolve(arg)) };
  if (looksLikePath(arg)) throw new Error(`${what} ${arg}: no such file or folder (${resolve(arg)})`);
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
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === undefined) throw new UsageError("say which command to run", overviewHelp());
    process.stdout.write(`${overviewHelp()}\n`);
    return;
  }
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"`, overviewHelp());
  const { values: raw, positionals } = parseCommandArgs(name, rest);
  if (raw.help) {
    process.stdout.write(`${commandHelp(name)}\n`);
    return;
  }
  const flag = (key: string) => raw[key] === true;
  const values = { ...(raw as Partial<Record<StringFlag, string>>), json: flag("json"), sampled: flag("sampled"), full: flag("full"), "include-wrong": flag("include-wrong") };
  const emit = (record: Record<string, unknown>) => {
    // Without --json, progress goes to stderr, so stdout keeps only results.
    if (record.event === "progress" && !values.json) process.stderr.write(`${progressLine(record)}\n`);
    else process.stdout.write(`${values.json ? JSON.stringify(record) : format(record)}\n`);
  };
  if (name === "recipe") {
    // Node only, and loaded only here: the recipe writer needs neither a browser nor a GPU.
    const { engineArg, runRecipe } = await import("../../recipe/recipe_cli.ts");
    const engine = engineArg(values.to);
    const source = await taskSourceArg(values.task!, intFlag(values.seed, "seed", 1), (message) => emit({ event: "note", message }));
    const inputs = { task: values.task!, config: configArg(values.config), format: formatArg(values.format), lora: loraArgs(values), model: values.model, adapter: values.adapter, out: values.out! };
    runRecipe({ engine, source, ...inputs }, emit);
    return;
  }
  if (name === "export") {
    // Node only, and loaded only here: merging and writing run on the CPU, with no browser or GPU.
    const { runExport } = await import("../../export/export_cli.ts");
    await runExport({ model: values.model!, ...(values.adapter ? { adapter: values.adapter } : {}), to: values.to, dtype: values.dtype, out: values.out! }, emit);
    return;
  }
  const run = values.runtime === "node" ? runInNode : values.runtime === "browser" ? runInBrowser : undefined;
  if (!run) throw new Error(`--runtime must be browser or node, got "${values.runtime}"`);
  if (name === "tool") {
    const [tool, ...words] = positionals;
    if (tool !== "python" && tool !== "search") throw new UsageError(`tool takes python or search, got "${tool ?? ""}"`, commandHelp("tool"));
    if (words.length === 0) throw new Error(`tool ${tool} needs the ${tool === "python" ? "code" : "query"} to run`);
    if (values.question !== undefined && tool !== "python") throw new Error("--question goes with tool python (it binds the question's numbers as nums)");
    // --question Q: the code runs as a tiny-format rollout of Q runs it, with Q's numbers bound as nums.
    const text = values.question !== undefined ? pythonCodeToRun(getFormat("tiny"), values.question, words.join(" ")) : words.join(" ");
    await run({ name, tool, text, ...(values.backend ? { backend: values.backend } : {}) }, emit);
    return;
  }
  if (name === "bench") {
    await run({ name, model: values.model!, quant: parseQuant(values.quant!) }, emit);
    return;
  }
  if (name === "sft") {
    const [modelArg, tracesPath, outDir] = [values.model!, values.traces!, resolve(values.out!)];
    if (!existsSync(tracesPath)) throw new Error(`--traces ${tracesPath} does not exist`);
    const tracesBytes = statSync(tracesPath).size;
    if (tracesBytes > MAX_TRACES_FILE_BYTES) throw new TracesFileTooLargeError(tracesPath, tracesBytes);
    const loaded = parseTracesJsonl(readFileSync(tracesPath, "utf8"));
    if (loaded.skipped.length > 0) emit({ event: "note", message: describeLoad(tracesPath, loaded) });
    if (loaded.traces.length === 0) throw new Error(`${tracesPath} holds no valid traces (one Trace v1 JSON object a line)`);
    const lr = Number(values.lr);
    if (!(lr > 0 && lr < 1)) throw new Error(`--lr must be a number between 0 and 1, got "${values.lr ?? ""}"`);
    const format = formatArg(values.format);
    await withFileServer(async (server) => {
      const command: EngineCommand = {
        name,
        model: filesArg(modelArg, server, "--model"),
        quant: quantFor(modelArg, values.quant),
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
    const modelArg = values.model!;
    const seed = intFlag(values.seed, "seed", 1);
    const config = configArg(values.config);
    const note = (message: string) => emit({ event: "note", message });
    const tasks = await taskSourceArg(values.task!, seed, note);
    await withFileServer(async (server) => {
      const model = filesArg(modelArg, server, "--model");
      // A run resumed from --out keeps the quantization it was trained with unless --quant says otherwise.
      const resumedQuant = name === "train" && values.quant === undefined && values.out ? savedRunQuant(resolve(values.out)) : undefined;
      if (resumedQuant) note(`--out holds a run trained on ${resumedQuant} base weights: resuming with them (--quant overrides)`);
      const quant = resumedQuant ?? quantFor(modelArg, values.quant);
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
        const evalNGiven = rest.some((a) => a === "--eval-n" || a.startsWith("--eval-n="));
        await run({ name, model, ...adapter, quant, request, ...out, evalNGiven }, emit, server);
      } else {
        const adapter = values.adapter ? { adapter: filesArg(values.adapter, server, "--adapter") } : {};
        const n = intFlag(values.n, "n", 64, 1);
        await run({ name, model, ...adapter, quant, tasks, n, seed, mode: values.sampled ? "sampled" : "greedy", config, ...backend, ...(format ? { format } : {}), ...(out.out ? { out: out.out } : {}) }, emit, server);
      }
    });
    return;
  }
  const [modelArg, inputPath] = [values.model!, values.input!];
  if (!existsSync(inputPath)) throw new Error(`--input ${inputPath} does not exist`);
  const inputs = parseInputIds(readFileSync(inputPath, "utf8"), inputPath);
  await withFileServer(async (server) => {
    const command: EngineCommand = {
      name,
      model: filesArg(modelArg, server, "--model"),
      ...(values.adapter ? { adapter: filesArg(values.adapter, server, "--adapter") } : {}),
      quant: quantFor(modelArg, values.quant),
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
    if (error instanceof UsageError) process.stderr.write(`\n${error.help}\n`);
    process.exit(1);
  },
);
