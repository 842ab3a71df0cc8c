// The engine side of the command line: one entry that runs a headless command
// on whatever WebGPU the host hands it (a page's navigator.gpu, or Node's
// `webgpu` package) and emits JSON records. Loaded by src/cli/host.ts through
// Vite, so WGSL `?raw` imports work in both hosts.
import { runBench } from "../bench/suite";
import { acquireDevice } from "../gpu/device";
import { parseQwen2Config } from "../model/config";
import type { WeightFormat } from "../quant/weights";
import presets from "./model_shapes.json";

export type EngineCommand = { name: "bench"; model: string; quant: WeightFormat };

export type Emit = (record: Record<string, unknown>) => void;

/** Runs one command; throws with a message fit for an `error:` line. */
export async function runEngineCommand(command: EngineCommand, emit: Emit, gpu: GPU | undefined): Promise<void> {
  const { device, capabilities } = await acquireDevice(gpu);
  void capabilities;
  const adapter = await (gpu ?? navigator.gpu).requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("the adapter disappeared after the device was created");
  try {
    if (command.name === "bench") {
      const shape = (presets as Record<string, unknown>)[command.model];
      if (!shape) {
        throw new Error(`bench: unknown model shape "${command.model}"; known: ${Object.keys(presets).join(", ")}`);
      }
      const model = parseQwen2Config(shape);
      for await (const record of runBench(device, adapter, { quant: command.quant, model, modelName: command.model })) {
        emit(record);
      }
    }
  } finally {
    device.destroy();
  }
}
