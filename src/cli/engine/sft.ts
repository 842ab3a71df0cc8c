// The engine side of `tapo sft`: supervised fine-tuning on demonstration
// traces (a cold start before RL, as ReTool does). The traces are written back
// in the model's rollout format (sft/trace_examples.ts) and trained on with the
// mean cross-entropy over the policy tokens (tool responses masked) and a
// cosine schedule: a LoRA adapter, saved as PEFT for `tapo eval --adapter` and
// `tapo train --adapter`, or (--full) every parameter, saved as a Hugging Face
// folder any `--model` takes.
import { writeSafetensors } from "../../formats/safetensors";
import type { FileSet } from "../../io/source";
import { expectedTensors } from "../../loader/hf_tensors";
import { loadModel, readModelConfig } from "../../loader/load_model";
import { loadTokenizer } from "../../loader/load_tokenizer";
import { readModelHints } from "../../rollout/model_hints";
import type { Qwen2Config } from "../../model/config";
import { withLora } from "../../model/gpu_model";
import { initLora } from "../../model/lora";
import type { LoraSettings } from "../../protocol/lora";
import { AdamWOptimizer } from "../../model/optimizer";
import { ModelRuntime } from "../../model/runtime";
import { readTrainableState } from "../../model/trainable_state";
import type { WeightFormat } from "../../protocol/tensors";
import { adapterFiles } from "../../rl/checkpoint";
import { learningRate } from "../../rl/schedule";
import type { Trace } from "../../protocol/trace";
import { stepBatches } from "../../sft/batches";
import { sftStep } from "../../sft/sft_step";
import { traceExamples } from "../../sft/trace_examples";
import { HttpDir } from "../../storage/http_dir";
import type { QwenTokenizer } from "../../tokenizer/tokenizer";
import type { TrainRequest } from "../../protocol/run";
import { formatOf } from "../../trainer/run_setup";
import type { Emit } from "../../protocol/emit";
import { loadFrozen } from "./train";

export type SftCommand = {
  model: FileSet;
  modelLabel: string;
  quant: WeightFormat;
  traces: Trace[];
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  lora: LoraSettings;
  includeWrong: boolean;
  /** Train every parameter (f32) and write a whole model folder, instead of a LoRA adapter. */
  full: boolean;
  maxTurns: number;
  format?: TrainRequest["format"];
  /** The --out folder's URL on the file server; outPath is the path the user gave. */
  out: string;
  outPath: string;
};

/** The runtime SFT trains: a fresh LoRA adapter on the frozen model, or (full) every parameter in f32. */
async function trainable(device: GPUDevice, cmd: SftCommand): Promise<{ tokenizer: QwenTokenizer; runtime: ModelRuntime; config: Qwen2Config; lora?: LoraSettings }> {
  if (cmd.full) {
    const { kind } = await readModelConfig(cmd.model);
    if (kind === "gguf") throw new Error("--full writes a Hugging Face folder and needs one as --model (this one is a .gguf file); drop --full to train a LoRA adapter");
    const tokenizer = await loadTokenizer(cmd.model);
    const { runtime, config } = await loadModel(device, cmd.model, { quant: "f32", mode: { kind: "full" } });
    return { tokenizer, runtime, config };
  }
  const { tokenizer, runtime: frozen, config } = await loadFrozen(device, cmd.model, cmd.quant);
  const lora = cmd.lora;
  return { tokenizer, runtime: ModelRuntime.fromGpuModel(device, withLora(device, frozen.model, initLora(config, lora, cmd.seed))), config, lora };
}

/** The trained model as a Hugging Face folder: the source's config, tokenizer and hint files, new model.safetensors. */
async function fullModelFiles(cmd: SftCommand, config: Qwen2Config, params: Map<string, Float32Array>): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of ["config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json", "tapo.json"]) {
    const source = cmd.model.get(name);
    if (source) files.set(name, await source.read(0, source.size));
  }
  const tensors = expectedTensors(config).map((t) => {
    const data = params.get(t.name);
    if (!data) throw new Error(`the trained model has no tensor ${t.name}`);
    return { name: t.name, dtype: "F32" as const, shape: t.shape, data };
  });
  files.set("model.safetensors", writeSafetensors(tensors, { format: "pt" }));
  return files;
}

export async function runSft(device: GPUDevice, cmd: SftCommand, emit: Emit): Promise<void> {
  const { tokenizer, runtime, config, lora } = await trainable(device, cmd);
  try {
    const format = formatOf(cmd.format ?? (await readModelHints(cmd.model)).format);
    const { examples, skipped } = traceExamples(cmd.traces, tokenizer, format, { maxTurns: cmd.maxTurns, includeWrong: cmd.includeWrong });
    for (const s of skipped.slice(0, 20)) emit({ event: "note", message: `trace ${s.index + 1} left out: ${s.reason}` });
    const tokens = examples.reduce((n, e) => n + e.tokens.length, 0);
    emit({ event: "sft-data", traces: cmd.traces.length, examples: examples.length, skipped: skipped.length, tokens });
    if (examples.length === 0) throw new Error(`none of the ${cmd.traces.length} traces can be a demonstration (see the notes); give traces that end in an answer`);
    const longest = Math.max(...examples.map((e) => e.tokens.length));
    if (longest > config.maxPositions) throw new Error(`a demonstration takes ${longest} tokens but the model holds ${config.maxPositions}: shorten the traces`);
    const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
    const batches = stepBatches(examples.map((e) => e.tokens.length), Math.min(cmd.batch, examples.length), cmd.steps, cmd.seed);
    for (const [step, idx] of batches.entries()) {
      const lr = learningRate(step, { peak: cmd.lr, warmupSteps: Math.min(5, Math.floor(cmd.steps / 10)), kind: "cosine", totalSteps: cmd.steps, minRatio: 0.1 });
      const t0 = performance.now();
      const r = await sftStep(runtime, optimizer, idx.map((i) => examples[i]!), { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxNorm: 1 });
      emit({ event: "sft", step: step + 1, loss: r.loss, policy_tokens: r.policyTokens, lr, seconds: (performance.now() - t0) / 1000 });
    }
    optimizer.destroy();
    const dir = new HttpDir(cmd.out);
    if (lora) {
      const trainables = runtime.model.trainables;
      const state = { trainable: await readTrainableState(device, trainables), shapes: new Map(trainables.map((t) => [t.name, t.shape])) };
      for (const [name, bytes] of Object.entries(adapterFiles(state, lora, cmd.modelLabel))) await dir.write(`adapter/${name}`, bytes);
      emit({ event: "done", out: cmd.outPath, adapter: `${cmd.outPath}/adapter`, steps: cmd.steps });
    } else {
      for (const [name, bytes] of await fullModelFiles(cmd, config, await runtime.readParameters())) await dir.write(`model/${name}`, bytes);
      emit({ event: "done", out: cmd.outPath, model: `${cmd.outPath}/model`, steps: cmd.steps });
    }
  } finally {
    runtime.destroy();
  }
}
