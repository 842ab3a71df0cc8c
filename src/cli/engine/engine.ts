// The engine side of the command line: one entry that runs a headless command
// on whatever WebGPU the host hands it (a page's navigator.gpu, or Node's
// `webgpu` package) and emits JSON records. Loaded by src/cli/node/host.ts through
// Vite, so WGSL `?raw` imports work in both hosts.
import type { Emit } from "../../protocol/emit";
import { runBench } from "../../bench/suite";
import { acquireDevice } from "../../gpu/device";
import type { FileSet } from "../../io/source";
import { parseQwen2Config } from "../../model/config";
import type { WeightFormat } from "../../protocol/tensors";
import { hubFileSet } from "../../sources/hub";
import { urlFileSet } from "../../sources/local";
import type { ToolName } from "../../protocol/tools";
import { runLogprobs } from "./logprobs";
import { runSft, type SftCommand } from "./sft";
import { runToolCommand } from "./tool";
import { type EvalCommand, runEval, runTrain, type TrainCommand } from "./train";
import presets from "./model_shapes.json";

/** Where model files come from, in a form that crosses into the page. */
export type FilesSpec = { kind: "served"; base: string; names: string[]; label: string } | { kind: "hub"; repo: string };

export type EngineCommand =
  | { name: "bench"; model: string; quant: WeightFormat }
  | ({ name: "train"; model: FilesSpec; adapter?: FilesSpec } & Omit<TrainCommand, "model" | "modelLabel" | "adapter">)
  | ({ name: "sft"; model: FilesSpec } & Omit<SftCommand, "model" | "modelLabel">)
  | ({ name: "eval"; model: FilesSpec; adapter?: FilesSpec } & Omit<EvalCommand, "model" | "modelLabel" | "adapter">)
  | { name: "logprobs"; model: FilesSpec; adapter?: FilesSpec; quant: WeightFormat; inputs: number[][]; gradUpload?: string }
  | { name: "tool"; tool: ToolName; text: string; backend?: string };

async function filesOf(spec: FilesSpec): Promise<FileSet> {
  if (spec.kind === "hub") return hubFileSet(spec.repo);
  const set = await urlFileSet(spec.base, spec.names);
  return { ...set, label: spec.label };
}

/** The model's name in traces and adapter configs: the hub id, or the path the user gave. */
function labelOf(spec: FilesSpec): string {
  return spec.kind === "hub" ? spec.repo : spec.label;
}

/** Runs one command; throws with a message fit for an `error:` line. */
export async function runEngineCommand(command: EngineCommand, emit: Emit, gpu: GPU | undefined): Promise<void> {
  if (command.name === "tool") {
    const result = await runToolCommand(command.tool, command.text, command.backend);
    emit({ event: "tool", tool: command.tool, response: result.response, error: result.error ?? null, ms: result.ms });
    return;
  }
  const { device } = await acquireDevice(gpu);
  try {
    if (command.name === "bench") {
      const adapter = await (gpu ?? navigator.gpu).requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) throw new Error("the adapter disappeared after the device was created");
      const shape = (presets as Record<string, unknown>)[command.model];
      if (!shape) {
        throw new Error(`bench: unknown model shape "${command.model}"; known: ${Object.keys(presets).join(", ")}`);
      }
      const model = parseQwen2Config(shape);
      for await (const record of runBench(device, adapter, { quant: command.quant, model, modelName: command.model })) {
        emit(record);
      }
    } else if (command.name === "train") {
      const { model, adapter, ...rest } = command;
      await runTrain(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model), ...(adapter ? { adapter: await filesOf(adapter) } : {}) }, emit);
    } else if (command.name === "sft") {
      const { model, ...rest } = command;
      await runSft(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model) }, emit);
    } else if (command.name === "eval") {
      const { model, adapter, ...rest } = command;
      await runEval(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model), ...(adapter ? { adapter: await filesOf(adapter) } : {}) }, emit);
    } else {
      const model = await filesOf(command.model);
      const adapter = command.adapter ? await filesOf(command.adapter) : undefined;
      await runLogprobs(device, model, adapter, {
        inputs: command.inputs,
        quant: command.quant,
        ...(command.gradUpload ? { gradUpload: command.gradUpload } : {}),
      }, emit);
    }
  } finally {
    device.destroy();
  }
}
