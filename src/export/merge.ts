// Merges a PEFT LoRA adapter into the base weights: for every adapted linear
// W (N out, K in), W' = W + (alpha / r)·B·A with A: (r, K), B: (N, r). The
// sum runs in float64 and is rounded to f32 once, so a merged model is the
// adapted model up to one f32 rounding per weight. Everything else is copied.
import { type LoraWeights, loraScale } from "../model/lora";
import { type ModelWeights, type LayerWeights, linearShape } from "../model/weights";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";
import type { WeightMatrix } from "../protocol/tensors";
import { dequantize, quantize } from "../quant/weights";
import { ExportError } from "./errors";

/** W + scale·B·A in float64: W (N, K), A (r, K), B (N, r) -> (N, K). */
export function mergedMatrix(W: ArrayLike<number>, A: ArrayLike<number>, B: ArrayLike<number>, N: number, K: number, r: number, scale: number): Float64Array {
  const out = Float64Array.from(W);
  const row = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    row.fill(0);
    for (let j = 0; j < r; j++) {
      const b = (B[n * r + j] as number) * scale;
      if (b === 0) continue;
      for (let k = 0; k < K; k++) row[k] = (row[k] as number) + b * (A[j * K + k] as number);
    }
    for (let k = 0; k < K; k++) out[n * K + k] = (out[n * K + k] as number) + (row[k] as number);
  }
  return out;
}

/** Refuses an adapter whose layers or matrices do not fit the model, naming the first misfit. */
export function checkAdapterFits(weights: ModelWeights, lora: LoraWeights): void {
  const c = weights.config;
  const { r } = lora.config;
  if (lora.layers.length !== c.layers) {
    throw new ExportError(`the adapter has ${lora.layers.length} layers but the model has ${c.layers}: the adapter was trained for a different base model`);
  }
  lora.layers.forEach((layer, l) => {
    for (const [name, pair] of Object.entries(layer) as [LinearName, { A: Float32Array; B: Float32Array }][]) {
      const [N, K] = linearShape(c, name);
      if (pair.A.length !== r * K || pair.B.length !== N * r) {
        throw new ExportError(
          `the adapter's layer ${l} ${name}_proj has A of ${pair.A.length} and B of ${pair.B.length} values, but the model needs ` +
            `A (${r}, ${K}) and B (${N}, ${r}) = ${r * K} and ${N * r}: the adapter was trained for a different base model`,
        );
      }
    }
  });
}

const f32Matrix = (m: WeightMatrix): WeightMatrix => (m.format === "f32" ? m : quantize(dequantize(m), m.rows, m.cols, "f32"));

/**
 * The model with the adapter merged, every matrix in f32 (quantized inputs are
 * dequantized first). Without an adapter: the weights as f32.
 */
export function mergeLora(weights: ModelWeights, lora?: LoraWeights): ModelWeights {
  if (lora) checkAdapterFits(weights, lora);
  const scale = lora ? loraScale(lora.config) : 0;
  const layers: LayerWeights[] = weights.layers.map((layer, l) => {
    const linear = {} as Record<LinearName, WeightMatrix>;
    for (const name of LINEAR_NAMES) {
      const m = layer.linear[name];
      const pair = lora?.layers[l]?.[name];
      linear[name] = pair
        ? quantize(mergedMatrix(dequantize(m), pair.A, pair.B, m.rows, m.cols, lora!.config.r, scale), m.rows, m.cols, "f32")
        : f32Matrix(m);
    }
    return { ...layer, linear };
  });
  return { ...weights, embed: f32Matrix(weights.embed), layers, lmHead: weights.lmHead ? f32Matrix(weights.lmHead) : undefined };
}
