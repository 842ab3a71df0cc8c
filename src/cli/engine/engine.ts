// The engine side of the command line: one entry that runs a headless command
// on whatever WebGPU the host hands it (a page's navigator.gpu, or Node's
// `webgpu` package) and emits JSON records. Loaded by src/cli/node/host.ts through
// Vite, so WGSL `?raw` imports work in both hosts.
//
// Each command's module is imported when that command runs, so a command loads
// only its own part of the engine (Vite transforms every module the page
// imports: `tapo tool python` skipped two seconds of model and trainer code).
import type { Emit } from "../../protocol/emit";
import type { FileSet } from "../../io/source";
import type { WeightFormat } from "../../protocol/tensors";
import type { ToolName } from "../../protocol/tools";
import type { SftCommand } from "./sft";
import type { EvalCommand, TrainCommand } from "./train";

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
  if (spec.kind === "hub") return (await import("../../sources/hub")).hubFileSet(spec.repo);
  const set = await (await import("../../sources/local")).urlFileSet(spec.base, spec.names);
  return { ...set, label: spec.label };
}

/** The model's name in traces and adapter configs: the hub id, or the path the user gave. */
function labelOf(spec: FilesSpec): string {
  return spec.kind === "hub" ? spec.repo : spec.label;
}

/** Runs one command; throws with a message fit for an `error:` line. */
export async function runEngineCommand(command: EngineCommand, emit: Emit, gpu: GPU | undefined): Promise<void> {
  if (command.name === "tool") {
    const { runToolCommand } = await import("./tool");
    const result = await runToolCommand(command.tool, command.text, command.backend);
    emit({ event: "tool", tool: command.tool, response: result.response, error: result.error ?? null, ms: result.ms });
    return;
  }
  const { device } = await (await import("../../gpu/device")).acquireDevice(gpu);
  try {
    if (command.name === "bench") {
      const adapter = await (gpu ?? navigator.gpu).requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) throw new Error("the adapter disappeared after the device was created");
      const presets = (await import("./model_shapes.json")).default as Record<string, unknown>;
      const shape = presets[command.model];
      if (!shape) {
        throw new Error(`bench: unknown model shape "${command.model}"; known: ${Object.keys(presets).join(", ")}`);
      }
      const model = (await import("../../model/config")).parseQwen2Config(shape);
      const { runBench } = await import("../../bench/suite");
      for await (const record of runBench(device, adapter, { quant: command.quant, model, modelName: command.model })) {
        emit(record);
      }
    } else if (command.name === "train") {
      const { model, adapter, ...rest } = command;
      const { runTrain } = await import("./train");
      await runTrain(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model), ...(adapter ? { adapter: await filesOf(adapter) } : {}) }, emit);
    } else if (command.name === "sft") {
      const { model, ...rest } = command;
      const { runSft } = await import("./sft");
      await runSft(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model) }, emit);
    } else if (command.name === "eval") {
      const { model, adapter, ...rest } = command;
      const { runEval } = await import("./train");
      await runEval(device, { ...rest, model: await filesOf(model), modelLabel: labelOf(model), ...(adapter ? { adapter: await filesOf(adapter) } : {}) }, emit);
    } else {
      const model = await filesOf(command.model);
      const adapter = command.adapter ? await filesOf(command.adapter) : undefined;
      const { runLogprobs } = await import("./logprobs");
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
