// The engine side of `tapo logprobs`: per-token log-probs of given token ids
// under a model (and optional PEFT adapter), in input order, and optionally the
// gradient of their sum with respect to the adapter, written as safetensors
// under PEFT names. logprobs[t] = log p(id[t+1] | id[0..t]).
import { writeSafetensors } from "../../formats/safetensors";
import type { FileSet } from "../../io/source";
import { loadModel, readModelConfig } from "../../loader/load_model";
import { initLora, type LoraWeights } from "../../model/lora";
import { DEFAULT_LORA } from "../../protocol/lora";
import type { TrainMode } from "../../model/memory";
import { loadPeftAdapter } from "../../model/peft";
import type { WeightFormat } from "../../protocol/tensors";

export type LogprobsRequest = {
  inputs: number[][];
  quant: WeightFormat;
  /** When set, PUT the gradient safetensors here. */
  gradUpload?: string;
};

/** Sequences per forward pass. */
const BATCH = 8;

export async function runLogprobs(
  device: GPUDevice,
  model: FileSet,
  adapter: FileSet | undefined,
  req: LogprobsRequest,
  emit: (record: Record<string, unknown>) => void,
): Promise<void> {
  // The config decides the adapter's shapes, so read the adapter after the model's config.
  const { config } = await readModelConfig(model);
  let lora: LoraWeights | undefined = adapter ? await loadPeftAdapter(adapter, config) : undefined;
  if (!lora && req.gradUpload) lora = initLora(config, DEFAULT_LORA, 0);
  const mode: TrainMode = lora ? { kind: "lora", lora: lora.config } : { kind: "frozen" };
  const { runtime } = await loadModel(device, model, { quant: req.quant, mode, ...(lora ? { lora } : {}) });
  try {
    if (req.gradUpload) runtime.zeroGrads();
    for (let start = 0; start < req.inputs.length; start += BATCH) {
      const batch = req.inputs.slice(start, start + BATCH);
      const { logp } = req.gradUpload
        ? await runtime.accumulateGradients(batch, batch.map((s) => new Float32Array(s.length - 1).fill(1)))
        : await runtime.logprobs(batch);
      for (const lp of logp) emit({ logprobs: Array.from(lp) });
    }
    if (req.gradUpload) {
      const grads = await runtime.readGradients();
      const shapes = new Map(runtime.model.trainables.map((t) => [t.name, t.shape]));
      const bytes = writeSafetensors(
        [...grads].map(([name, data]) => ({ name, dtype: "F32" as const, shape: shapes.get(name)!, data })),
        { format: "pt", content: "gradient of the sum of all log-probs with respect to the LoRA adapter" },
      );
      const res = await fetch(req.gradUpload, { method: "PUT", body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
      if (!res.ok) throw new Error(`could not write the gradient file (HTTP ${res.status})`);
    }
  } finally {
    runtime.destroy();
  }
}
