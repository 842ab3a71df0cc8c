// The LoRA settings of a run and of an adapter, decided in this one place: the
// Train page's fields, `tapo train`/`tapo sft`'s --lora-* flags, memory
// estimates, checkpoints and exported PEFT configs all read them from here.
//
//   r        rank of A (r, in) and B (out, r); default 16
//   alpha    the update x·Aᵀ·Bᵀ is scaled by alpha / r; default 32 (PEFT's
//            lora_alpha; the scale is 2, as in TAPO's reference settings)
//   targets  which of a decoder layer's seven projections carry an adapter,
//            the same in every layer; default all seven (PEFT target_modules
//            q_proj … down_proj)
//
// Dropout is not supported: the kernels have no dropout, and adapters are
// written with lora_dropout 0. An adapter whose config sets dropout still
// loads (dropout acts only in training) and trains on without it.

/** The seven linear projections of a Qwen2 decoder layer, in PEFT's order of modules. */
export const LINEAR_NAMES = ["q", "k", "v", "o", "gate", "up", "down"] as const;
export type LinearName = (typeof LINEAR_NAMES)[number];

export type LoraSettings = {
  /** Rank r. */
  r: number;
  /** Scale numerator: the update is multiplied by alpha / r. */
  alpha: number;
  /** Which linear layers carry an adapter (a subset of LINEAR_NAMES, in that order). */
  targets: LinearName[];
};

export const DEFAULT_LORA: Readonly<LoraSettings> = Object.freeze({ r: 16, alpha: 32, targets: [...LINEAR_NAMES] });

/** Whether two settings describe the same adapter (targets compared in order, as resolveLoraSettings gives them). */
export function sameLoraSettings(a: LoraSettings, b: LoraSettings): boolean {
  return a.r === b.r && a.alpha === b.alpha && a.targets.join() === b.targets.join();
}

/** Every reason `s` cannot be trained (empty when it can). */
export function loraSettingsProblems(s: LoraSettings): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.r) || s.r < 1) problems.push(`LoRA rank r must be a whole number ≥ 1, got ${s.r}`);
  if (!Number.isFinite(s.alpha) || s.alpha <= 0) problems.push(`LoRA alpha must be a number > 0, got ${s.alpha}`);
  if (!Array.isArray(s.targets) || s.targets.length === 0) problems.push(`LoRA targets must name at least one of ${LINEAR_NAMES.join(", ")}`);
  else {
    const unknown = s.targets.filter((t) => !(LINEAR_NAMES as readonly string[]).includes(t));
    if (unknown.length > 0) problems.push(`LoRA targets ${unknown.join(", ")} are not projections; known: ${LINEAR_NAMES.join(", ")}`);
    if (new Set(s.targets).size !== s.targets.length) problems.push(`LoRA targets name a projection twice: ${s.targets.join(", ")}`);
  }
  return problems;
}

/**
 * The targets a list like "q,v", "q_proj,v_proj" or "all" names, in LINEAR_NAMES order; throws with the
 * accepted names on anything else.
 */
export function parseLoraTargets(text: string): LinearName[] {
  const words = text.split(",").map((w) => w.trim()).filter((w) => w !== "");
  if (words.length === 1 && words[0] === "all") return [...LINEAR_NAMES];
  const names = words.map((w) => w.replace(/_proj$/, ""));
  const unknown = names.filter((n) => !(LINEAR_NAMES as readonly string[]).includes(n));
  if (words.length === 0 || unknown.length > 0) {
    throw new Error(`"${text}" is not a list of projections: name some of ${LINEAR_NAMES.join(", ")} separated by commas (q_proj also works), or "all"`);
  }
  return LINEAR_NAMES.filter((n) => names.includes(n));
}

/**
 * Settings from a partial or older record (a run.json from before targets were saved has only r and
 * alpha), with the defaults filled in; throws with every problem.
 */
export function resolveLoraSettings(partial: Partial<LoraSettings> = {}): LoraSettings {
  const s: LoraSettings = { r: partial.r ?? DEFAULT_LORA.r, alpha: partial.alpha ?? DEFAULT_LORA.alpha, targets: [...(partial.targets ?? DEFAULT_LORA.targets)] };
  const problems = loraSettingsProblems(s);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return { ...s, targets: LINEAR_NAMES.filter((n) => s.targets.includes(n)) };
}
