// A TensorSink that keeps loaded tensors on the CPU and assembles ModelWeights
// (tests, the reference model, CPU tools); finish() names any tensor never emitted.
import type { Qwen2Config } from "../model/config";
import { BIASED, type LayerWeights, type ModelWeights, hfLinearName } from "../model/weights";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";
import type { WeightMatrix } from "../protocol/tensors";
import { EMBED_NAME, FINAL_NORM_NAME, LM_HEAD_NAME, attnNormName, expectedTensors, mlpNormName } from "./hf_tensors";
import type { LoadedTensor, TensorSink } from "../protocol/tensors";

/** Collects emitted tensors; finish() returns ModelWeights or throws naming the first missing or misshapen tensor. */
export function collectModelWeights(config: Qwen2Config): { sink: TensorSink; finish(): ModelWeights } {
  const got = new Map<string, LoadedTensor["value"]>();
  const shapes = new Map(expectedTensors(config).map((t) => [t.name, t]));
  const sink: TensorSink = ({ name, value }) => {
    const want = shapes.get(name);
    if (!want) return; // a tensor this model does not use (e.g. lm_head.weight of a tied model)
    const ok =
      want.kind === "vector"
        ? value instanceof Float32Array && value.length === want.shape[0]
        : !(value instanceof Float32Array) && value.rows === want.shape[0] && value.cols === want.shape[1];
    if (!ok) throw new Error(`collectModelWeights: tensor ${name} does not have the expected ${want.kind} shape [${want.shape.join(", ")}]`);
    got.set(name, value);
  };
  const take = <T extends LoadedTensor["value"]>(name: string): T => {
    const value = got.get(name);
    if (value === undefined) throw new Error(`the model is incomplete: tensor ${name} was never loaded`);
    return value as T;
  };
  const finish = (): ModelWeights => {
    const missing = [...shapes.keys()].filter((name) => !got.has(name));
    if (missing.length > 0) {
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
      throw new Error(`the model is incomplete: tensor ${missing[0]} was never loaded${more}`);
    }
    const layers: LayerWeights[] = [];
    for (let l = 0; l < config.layers; l++) {
      const linear = {} as Record<LinearName, WeightMatrix>;
      for (const name of LINEAR_NAMES) linear[name] = take<WeightMatrix>(hfLinearName(l, name));
      const bias = {} as Record<"q" | "k" | "v", Float32Array>;
      for (const name of BIASED) bias[name as "q" | "k" | "v"] = take<Float32Array>(hfLinearName(l, name, "bias"));
      layers.push({ attnNorm: take(attnNormName(l)), mlpNorm: take(mlpNormName(l)), linear, bias });
    }
    return {
      config,
      embed: take<WeightMatrix>(EMBED_NAME),
      layers,
      finalNorm: take<Float32Array>(FINAL_NORM_NAME),
      lmHead: config.tieEmbeddings ? undefined : take<WeightMatrix>(LM_HEAD_NAME),
    };
  };
  return { sink, finish };
}
