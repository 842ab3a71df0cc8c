// PEFT's adapter_config.json for LoRA: what TAPO Studio writes (the fields PEFT
// and vLLM read) and how it reads one back, refusing the variants the engine
// cannot run (DoRA, rsLoRA, per-module ranks, targets other than Qwen2's linears).
import type { LoraSettings } from "../protocol/lora";
import { LINEAR_NAMES, type LinearName } from "../protocol/lora";

/** An adapter the engine cannot load; the message says why and what to do. */
export class PeftAdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PeftAdapterError";
  }
}

/** The PyTorch module name of a linear layer ("q" -> "q_proj"). */
export function peftModuleName(target: LinearName): string {
  return `${target}_proj`;
}

const SUPPORTED = LINEAR_NAMES.map(peftModuleName).join(", ");

/** adapter_config.json for a LoRA config, as PEFT writes it. */
export function peftConfigJson(config: LoraSettings, baseModel: string): Record<string, unknown> {
  return {
    peft_type: "LORA",
    task_type: "CAUSAL_LM",
    base_model_name_or_path: baseModel,
    r: config.r,
    lora_alpha: config.alpha,
    target_modules: config.targets.map(peftModuleName),
    lora_dropout: 0,
    bias: "none",
    fan_in_fan_out: false,
    use_rslora: false,
    use_dora: false,
    modules_to_save: null,
    init_lora_weights: true,
    inference_mode: true,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    revision: null,
  };
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "object" && Object.keys(v).length === 0);
}

/** The linear layer a target_modules entry names ("q_proj", "self_attn.q_proj", "model.layers.0.mlp.up_proj": last part). */
function targetOf(entry: string): LinearName {
  const last = entry.split(".").pop() ?? entry;
  const target = LINEAR_NAMES.find((n) => peftModuleName(n) === last);
  if (!target) {
    throw new PeftAdapterError(
      `adapter_config.json targets module ${entry}, which TAPO Studio does not adapt: it supports LoRA on ${SUPPORTED}. ` +
        "Train the adapter without that module",
    );
  }
  return target;
}

/** Targets of a regex target_modules string (PEFT full-matches it against module names of every layer). */
function regexTargets(pattern: string, layers: number): LinearName[] {
  if (pattern === "all-linear") return [...LINEAR_NAMES];
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new PeftAdapterError(`adapter_config.json: target_modules "${pattern}" is not a regular expression TAPO Studio can read; list the modules instead`);
  }
  for (const other of ["lm_head", "model.embed_tokens"]) {
    if (re.test(other)) targetOf(other);
  }
  const path = (l: number, t: LinearName) =>
    `model.layers.${l}.${t === "gate" || t === "up" || t === "down" ? "mlp" : "self_attn"}.${peftModuleName(t)}`;
  const targets = LINEAR_NAMES.filter((t) => re.test(path(0, t)));
  for (let l = 1; l < layers; l++) {
    const here = LINEAR_NAMES.filter((t) => re.test(path(l, t)));
    if (here.join() !== targets.join()) {
      throw new PeftAdapterError(
        `adapter_config.json: target_modules "${pattern}" adapts different modules in different layers; TAPO Studio needs the same modules in every layer`,
      );
    }
  }
  return targets;
}

/** Reads adapter_config.json's LoRA settings for a model of `layers` layers; refuses what the engine cannot run. */
export function parsePeftConfig(raw: unknown, layers: number): LoraSettings {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new PeftAdapterError("adapter_config.json is not a JSON object");
  const r = raw as Record<string, unknown>;
  if (r.peft_type !== undefined && r.peft_type !== "LORA") {
    throw new PeftAdapterError(`adapter_config.json describes a ${String(r.peft_type)} adapter; TAPO Studio loads LORA adapters only`);
  }
  const refuse = (key: string, why: string) => new PeftAdapterError(`adapter_config.json sets ${key}: ${why}`);
  if (r.use_dora === true) throw refuse("use_dora: true", "DoRA adapters are not supported; train a plain LoRA adapter");
  if (r.use_rslora === true) throw refuse("use_rslora: true", "rank-stabilised LoRA (scale alpha/sqrt(r)) is not supported; train with use_rslora false");
  if (r.bias !== undefined && r.bias !== "none") throw refuse(`bias: ${JSON.stringify(r.bias)}`, 'adapters that train biases are not supported; use bias "none"');
  if (!isEmpty(r.modules_to_save)) throw refuse("modules_to_save", "fully trained extra modules are not supported; only LoRA matrices are loaded");
  if (!isEmpty(r.rank_pattern) || !isEmpty(r.alpha_pattern)) {
    throw refuse("rank_pattern or alpha_pattern", "per-module ranks or alphas are not supported; use one r and lora_alpha for all modules");
  }
  if (r.layers_to_transform !== undefined && r.layers_to_transform !== null) {
    throw refuse("layers_to_transform", "adapters on some layers only are not supported; adapt every layer");
  }
  const rank = r.r ?? 8; // PEFT's defaults
  const alpha = r.lora_alpha ?? 8;
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank <= 0) throw new PeftAdapterError(`adapter_config.json: r must be a positive integer, got ${JSON.stringify(r.r)}`);
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new PeftAdapterError(`adapter_config.json: lora_alpha must be a number, got ${JSON.stringify(r.lora_alpha)}`);
  let targets: LinearName[];
  if (typeof r.target_modules === "string") targets = regexTargets(r.target_modules, layers);
  else if (Array.isArray(r.target_modules) && r.target_modules.every((t) => typeof t === "string")) {
    const set = new Set((r.target_modules as string[]).map(targetOf));
    targets = LINEAR_NAMES.filter((t) => set.has(t));
  } else {
    throw new PeftAdapterError(`adapter_config.json: target_modules must be a list of module names, got ${JSON.stringify(r.target_modules)}`);
  }
  if (targets.length === 0) throw new PeftAdapterError(`adapter_config.json: target_modules selects no module; TAPO Studio supports ${SUPPORTED}`);
  return { r: rank, alpha, targets };
}
