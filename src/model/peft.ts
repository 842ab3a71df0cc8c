// PEFT LoRA adapters on disk: adapter_config.json + adapter_model.safetensors.
// Saving writes what PEFT and vLLM load (A: (r, in), B: (out, r), F32, names
// base_model.model.model.layers.N.<module>.lora_A.weight); loading accepts the
// key variants PEFT writes and checks every matrix against the model's shapes.
import { readRowsF32, readSafetensorsHeader, writeSafetensors, type SafetensorsInput, type SafetensorsTensorInfo } from "../formats/safetensors";
import { type FileSet, readJson } from "../io/source";
import type { Qwen2Config } from "./config";
import { type LoraPair, type LoraWeights, peftName } from "./lora";
import { PeftAdapterError, parsePeftConfig, peftConfigJson, peftModuleName } from "./peft_config";
import { linearShape } from "./weights";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";

export { PeftAdapterError } from "./peft_config";

export const ADAPTER_CONFIG = "adapter_config.json";
export const ADAPTER_WEIGHTS = "adapter_model.safetensors";

/** The two files of a PEFT adapter: adapter_config.json (text) and adapter_model.safetensors (bytes). */
export function savePeftAdapter(
  lora: LoraWeights,
  opts: { baseModel: string },
): { "adapter_config.json": string; "adapter_model.safetensors": Uint8Array } {
  const { r, targets } = lora.config;
  const tensors: SafetensorsInput[] = [];
  lora.layers.forEach((layer, l) => {
    for (const t of targets) {
      const pair = layer[t];
      if (!pair) throw new Error(`savePeftAdapter: layer ${l} has no ${peftModuleName(t)} adapter although the config targets it`);
      const K = pair.A.length / r;
      const N = pair.B.length / r;
      tensors.push({ name: peftName(l, t, "A"), dtype: "F32", shape: [r, K], data: pair.A });
      tensors.push({ name: peftName(l, t, "B"), dtype: "F32", shape: [N, r], data: pair.B });
    }
  });
  return {
    "adapter_config.json": JSON.stringify(peftConfigJson(lora.config, opts.baseModel), null, 2),
    "adapter_model.safetensors": writeSafetensors(tensors, { format: "pt" }),
  };
}

/** Matches every key variant PEFT writes: optional "base_model.model." prefix, optional adapter name before ".weight". */
const LORA_KEY =
  /^(?:base_model\.model\.)?model\.layers\.(\d+)\.(self_attn\.(q|k|v|o)|mlp\.(gate|up|down))_proj\.lora_(A|B)(?:\.[A-Za-z0-9_-]+)?\.weight$/;

type Found = { layer: number; target: LinearName; which: "A" | "B"; info: SafetensorsTensorInfo };

function parseKey(name: string, info: SafetensorsTensorInfo): Found {
  const m = LORA_KEY.exec(name);
  if (!m) {
    throw new PeftAdapterError(
      `${ADAPTER_WEIGHTS} holds tensor ${name}, which is not a LoRA matrix of a Qwen2 linear layer ` +
        `(q_proj … down_proj): TAPO Studio cannot load adapters on other modules or with trained biases`,
    );
  }
  return { layer: Number(m[1]), target: (m[3] ?? m[4]) as LinearName, which: m[5] as "A" | "B", info };
}

const shapeText = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Reads a PEFT LoRA adapter for `model`; refuses one that does not match the model or uses unsupported PEFT options. */
export async function loadPeftAdapter(files: FileSet, model: Qwen2Config, signal?: AbortSignal): Promise<LoraWeights> {
  const configFile = files.get(ADAPTER_CONFIG);
  const weightsFile = files.get(ADAPTER_WEIGHTS);
  if (!configFile || !weightsFile) {
    const names = files.list();
    const missing = [configFile ? undefined : ADAPTER_CONFIG, weightsFile ? undefined : ADAPTER_WEIGHTS].filter(Boolean).join(" and ");
    throw new PeftAdapterError(
      `${files.label} has no ${missing} (it has ${names.length ? names.slice(0, 12).join(", ") : "no files"}): ` +
        `a PEFT LoRA adapter is a folder with ${ADAPTER_CONFIG} and ${ADAPTER_WEIGHTS}` +
        (names.includes("adapter_model.bin") ? "; adapter_model.bin (PyTorch pickle) is not read, save with safe_serialization=True" : ""),
    );
  }
  const config = parsePeftConfig(await readJson(configFile, signal), model.layers);
  const header = await readSafetensorsHeader(weightsFile, signal);
  const found = new Map<string, Found>();
  for (const [name, info] of header.tensors) {
    const f = parseKey(name, info);
    if (f.layer >= model.layers) {
      throw new PeftAdapterError(
        `${ADAPTER_WEIGHTS}: tensor ${name} adapts layer ${f.layer}, but the model has ${model.layers} layers (0…${model.layers - 1}): ` +
          "the adapter was trained for a different base model",
      );
    }
    if (!config.targets.includes(f.target)) {
      throw new PeftAdapterError(
        `${ADAPTER_WEIGHTS} holds ${name}, but ${ADAPTER_CONFIG} does not list ${peftModuleName(f.target)} in target_modules: the two files do not belong together`,
      );
    }
    const key = `${f.layer}.${f.target}.${f.which}`;
    if (found.has(key)) throw new PeftAdapterError(`${ADAPTER_WEIGHTS} holds two tensors for ${peftName(f.layer, f.target, f.which)} (one is ${name}): keep one adapter per file`);
    found.set(key, f);
  }
  const layers: Partial<Record<LinearName, LoraPair>>[] = [];
  for (let l = 0; l < model.layers; l++) {
    const layer: Partial<Record<LinearName, LoraPair>> = {};
    for (const t of LINEAR_NAMES.filter((n) => config.targets.includes(n))) {
      const [N, K] = linearShape(model, t);
      const read = async (which: "A" | "B"): Promise<Float32Array> => {
        const f = found.get(`${l}.${t}.${which}`);
        if (!f) {
          throw new PeftAdapterError(
            `${ADAPTER_WEIGHTS} has no ${peftName(l, t, which)} although ${ADAPTER_CONFIG} targets ${peftModuleName(t)}: the adapter file is incomplete`,
          );
        }
        const want = which === "A" ? [config.r, K] : [N, config.r];
        const shape = f.info.shape;
        if (shape.length !== 2 || shape[0] !== want[0] || shape[1] !== want[1]) {
          const rankAt = which === "A" ? 0 : 1;
          const rankOnly = shape.length === 2 && shape[1 - rankAt] === want[1 - rankAt];
          throw new PeftAdapterError(
            rankOnly
              ? `${ADAPTER_WEIGHTS}: tensor ${f.info.name} has shape ${shapeText(shape)}, rank ${shape[rankAt]}, but ${ADAPTER_CONFIG} says r = ${config.r}: the two files do not belong together`
              : `${ADAPTER_WEIGHTS}: tensor ${f.info.name} has shape ${shapeText(shape)} but the model expects ${shapeText(want)}: ` +
                  "the adapter was trained for a different base model",
          );
        }
        return readRowsF32(weightsFile, f.info, 0, shape[0] as number, signal);
      };
      layer[t] = { A: await read("A"), B: await read("B") };
    }
    layers.push(layer);
  }
  return { config, layers };
}
