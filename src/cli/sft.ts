// The engine side of `tapo sft`: supervised fine-tuning of a LoRA adapter on
// demonstration traces (a cold start before RL, as ReTool does). The traces
// are written back in the model's rollout format (sft/trace_examples.ts), the
// adapter is trained with the mean cross-entropy over the policy tokens (tool
// responses masked) and a cosine schedule, and saved as a PEFT adapter that
// `tapo eval --adapter` and `tapo train --adapter` take.
import type { FileSet } from "../io/source";
import { readModelHints } from "../loader/model_hints";
import { withLora } from "../model/gpu_model";
import { DEFAULT_LORA, initLora } from "../model/lora";
import { AdamWOptimizer } from "../model/optimizer";
import { ModelRuntime } from "../model/runtime";
import { readTrainableState } from "../model/trainable_state";
import type { WeightFormat } from "../quant/weights";
import { adapterFiles } from "../rl/checkpoint";
import { learningRate } from "../rl/schedule";
import type { Trace } from "../rollout/trace";
import { stepBatches } from "../sft/batches";
import { sftStep } from "../sft/sft_step";
import { traceExamples } from "../sft/trace_examples";
import { HttpDir } from "../storage/http_dir";
import type { TrainRequest } from "../trainer/run_events";
import { formatOf } from "../trainer/run_setup";
import type { Emit } from "./engine";
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
  lora: { r: number; alpha: number };
  includeWrong: boolean;
  maxTurns: number;
  format?: TrainRequest["format"];
  /** The --out folder's URL on the file server; outPath is the path the user gave. */
  out: string;
  outPath: string;
};

export async function runSft(device: GPUDevice, cmd: SftCommand, emit: Emit): Promise<void> {
  const { tokenizer, runtime: frozen, config } = await loadFrozen(device, cmd.model, cmd.quant);
  const format = formatOf(cmd.format ?? (await readModelHints(cmd.model)).format);
  const { examples, skipped } = traceExamples(cmd.traces, tokenizer, format, { maxTurns: cmd.maxTurns, includeWrong: cmd.includeWrong });
  for (const s of skipped.slice(0, 20)) emit({ event: "note", message: `trace ${s.index + 1} left out: ${s.reason}` });
  const tokens = examples.reduce((n, e) => n + e.tokens.length, 0);
  emit({ event: "sft-data", traces: cmd.traces.length, examples: examples.length, skipped: skipped.length, tokens });
  if (examples.length === 0) throw new Error(`none of the ${cmd.traces.length} traces can be a demonstration (see the notes); give traces that end in an answer`);
  const longest = Math.max(...examples.map((e) => e.tokens.length));
  if (longest > config.maxPositions) throw new Error(`a demonstration takes ${longest} tokens but the model holds ${config.maxPositions}: shorten the traces`);
  const lora = { ...DEFAULT_LORA, r: cmd.lora.r, alpha: cmd.lora.alpha };
  const runtime = ModelRuntime.fromGpuModel(device, withLora(device, frozen.model, initLora(config, lora, cmd.seed)));
  const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
  try {
    const batches = stepBatches(examples.map((e) => e.tokens.length), Math.min(cmd.batch, examples.length), cmd.steps, cmd.seed);
    for (const [step, idx] of batches.entries()) {
      const lr = learningRate(step, { peak: cmd.lr, warmupSteps: Math.min(5, Math.floor(cmd.steps / 10)), kind: "cosine", totalSteps: cmd.steps, minRatio: 0.1 });
      const t0 = performance.now();
      const r = await sftStep(runtime, optimizer, idx.map((i) => examples[i]!), { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxNorm: 1 });
      emit({ event: "sft", step: step + 1, loss: r.loss, policy_tokens: r.policyTokens, lr, seconds: (performance.now() - t0) / 1000 });
    }
    const trainables = runtime.model.trainables;
    const state = { trainable: await readTrainableState(device, trainables), shapes: new Map(trainables.map((t) => [t.name, t.shape])) };
    const dir = new HttpDir(cmd.out);
    for (const [name, bytes] of Object.entries(adapterFiles(state, lora, cmd.modelLabel))) await dir.write(`adapter/${name}`, bytes);
    emit({ event: "done", out: cmd.outPath, adapter: `${cmd.outPath}/adapter`, steps: cmd.steps });
  } finally {
    runtime.destroy();
  }
}
