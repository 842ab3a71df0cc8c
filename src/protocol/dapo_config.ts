// DAPO's settings as a run stores and reports them. Defaults, documentation
// (config_doc.json) and validation live in src/rl/config.ts.

/** Every hyperparameter of a DAPO run over LoRA. */
export type DapoConfig = {
  /** G: responses sampled per prompt. */
  groupSize: number;
  /** Prompts (groups) per batch after dynamic sampling. */
  promptsPerBatch: number;
  /** Optimizer steps per batch; each takes 1/miniBatches of the batch's groups. */
  miniBatches: number;
  /** ε_low: the ratio is clipped below at 1 − clipLow. */
  clipLow: number;
  /** ε_high: the ratio is clipped above at 1 + clipHigh (clip-higher). */
  clipHigh: number;
  /** c: dual clip for negative advantages; the per-token loss is capped at −A·c. */
  dualClip: number;
  /** Peak AdamW learning rate for the LoRA parameters. */
  learningRate: number;
  /** Shape after warm-up. */
  lrSchedule: "constant" | "cosine";
  /** Cosine only: the rate at the last step, as a fraction of the peak. */
  minLrRatio: number;
  /** Steps of linear warm-up. */
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  adamEps: number;
  /** Global gradient-norm clip; 0 turns clipping off. */
  gradClip: number;
  /** Sampling temperature while training. */
  temperature: number;
  /** Nucleus sampling mass while training (1: off). */
  topP: number;
  /** Cap on generation rounds that dynamic sampling may run for one batch. */
  maxRegenerationRounds: number;
  /** Turns that may call tools; then one last turn with tools disabled. */
  maxTurns: number;
  /** Tokens of one tool's output kept in its response. */
  toolResponseTokens: number;
  /** L_max: the most policy tokens a response may have. */
  maxResponseTokens: number;
  /** L_cache: the soft overlong buffer below L_max. */
  overlongBuffer: number;
  /** DAPO's soft overlong penalty on the reward. */
  overlongShaping: boolean;
  /** Added to the group's std in the advantage's denominator. */
  advantageEps: number;
  /** SimpleTIR: drop trajectories with a void turn from the loss. */
  simpleTir: boolean;
  /** LLDS: add λ·mean(max(0, logp_old − logp)) over non-negative-advantage tokens. */
  llds: boolean;
  /** λ of LLDS. */
  lldsLambda: number;
  /** Truncation masking: responses cut at L_max get no loss. */
  truncationMasking: boolean;
  /** OTC-style tool-efficiency factor on the correctness reward. */
  toolEfficiency: boolean;
};
