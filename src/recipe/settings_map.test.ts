// Checks the DAPO → verl/TRL settings table: every DapoConfig key has a decision for both engines (a new setting
// fails here until someone maps it or says why it has no counterpart), and the options it yields for a config. No GPU.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { settingsTableIn } from "./readme_table";
import { DEFAULT_LORA } from "../protocol/lora";
import { DEFAULT_DAPO_CONFIG, resolveDapoConfig } from "../rl/config";
import { ENGINES, engineOptions, SETTINGS_MAP, settingsTableMarkdown, TRANSFORM_NAMES } from "./settings_map";

const lora = { ...DEFAULT_LORA, targets: [...DEFAULT_LORA.targets] };

describe("settings_map.json", () => {
  it("decides every DapoConfig key exactly once, for both engines", () => {
    const keys = SETTINGS_MAP.settings.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(DEFAULT_DAPO_CONFIG).sort());
    for (const row of SETTINGS_MAP.settings) {
      for (const engine of ENGINES) {
        const m = row[engine];
        const decided = (m.options !== undefined && m.options.length > 0) !== (m.none !== undefined);
        expect(decided, `${row.key} on ${engine}: give options or say why there is none (not both)`).toBe(true);
      }
    }
  });

  it("maps LoRA rank, alpha and targets on both engines, with known transforms only", () => {
    expect(SETTINGS_MAP.lora.map((r) => r.key).sort()).toEqual(["alpha", "r", "targets"]);
    const rows = [...SETTINGS_MAP.settings, ...SETTINGS_MAP.lora];
    for (const row of rows) {
      for (const engine of ENGINES) {
        for (const o of row[engine].options ?? []) if (o.transform) expect(TRANSFORM_NAMES, `${row.key}: ${o.transform}`).toContain(o.transform);
      }
    }
  });

  it("names the engine versions the options were checked against", () => {
    expect(SETTINGS_MAP.engines.verl.version).toMatch(/b178a3cd56f58b2d502255daba591e92833930a7/);
    expect(SETTINGS_MAP.engines.trl.version).toMatch(/1\.9\.0/);
  });
});

describe("engineOptions", () => {
  it("gives verl the DAPO recipe's options for the reference settings", () => {
    const { values, notes } = engineOptions("verl", resolveDapoConfig(), lora);
    expect(values.get("actor_rollout_ref.actor.clip_ratio_low")).toBe(0.2);
    expect(values.get("actor_rollout_ref.actor.clip_ratio_high")).toBe(0.28);
    expect(values.get("actor_rollout_ref.actor.clip_ratio_c")).toBe(10);
    expect(values.get("actor_rollout_ref.actor.loss_agg_mode")).toBe("token-mean");
    expect(values.get("algorithm.filter_groups.enable")).toBe(true);
    expect(values.get("algorithm.filter_groups.max_num_gen_batches")).toBe(10);
    expect(values.get("actor_rollout_ref.rollout.n")).toBe(8);
    expect(values.get("data.train_batch_size")).toBe(64);
    expect(values.get("actor_rollout_ref.actor.ppo_mini_batch_size")).toBe(16);
    expect(values.get("actor_rollout_ref.actor.optim.betas")).toEqual([0.9, 0.999]);
    expect(values.get("actor_rollout_ref.actor.use_kl_loss")).toBe(false);
    expect(values.get("reward_model.overlong_buffer.len")).toBe(512);
    expect(values.get("actor_rollout_ref.rollout.multi_turn.max_assistant_turns")).toBe(5);
    expect(values.get("actor_rollout_ref.model.target_modules")).toEqual(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]);
    // Settings without a verl option are noted; lldsLambda only when LLDS is on.
    for (const key of ["adamEps", "advantageEps", "simpleTir", "llds", "truncationMasking", "toolEfficiency"]) expect(notes.some((n) => n.startsWith(`${key} =`)), key).toBe(true);
    expect(notes.some((n) => n.startsWith("lldsLambda"))).toBe(false);
  });

  it("gives TRL GRPOConfig arguments, and notes what it cannot do", () => {
    const config = resolveDapoConfig({ lrSchedule: "cosine", minLrRatio: 0.2, truncationMasking: true, llds: true });
    const { values, notes } = engineOptions("trl", config, lora);
    expect(values.get("num_generations")).toBe(8);
    expect(values.get("epsilon")).toBe(0.2);
    expect(values.get("epsilon_high")).toBe(0.28);
    expect(values.get("loss_type")).toBe("dapo");
    expect(values.get("beta")).toBe(0);
    expect(values.get("generation_batch_size")).toBe(512);
    expect(values.get("gradient_accumulation_steps")).toBe(16);
    expect(values.get("lr_scheduler_type")).toBe("cosine_with_min_lr");
    expect(values.get("lr_scheduler_kwargs")).toEqual({ min_lr_rate: 0.2 });
    expect(values.get("mask_truncated_completions")).toBe(true);
    expect(values.get("reward.max_response_tokens")).toBe(2048);
    expect(values.get("lora.r")).toBe(16);
    expect(notes.some((n) => n.startsWith("maxRegenerationRounds"))).toBe(true);
    expect(notes.some((n) => n.startsWith("lldsLambda"))).toBe(true);
    expect(notes.some((n) => n.startsWith("dynamic sampling"))).toBe(true);
  });

  it("turns overlong shaping off in TRL's reward when the config does", () => {
    const { values } = engineOptions("trl", resolveDapoConfig({ overlongShaping: false }), lora);
    expect(values.get("reward.max_response_tokens")).toBeNull();
    expect(values.get("reward.overlong_buffer")).toBeNull();
  });

  it("says when an engine's fixed behaviour differs from our value", () => {
    const { notes } = engineOptions("verl", resolveDapoConfig({ simpleTir: true }), lora);
    expect(notes.find((n) => n.startsWith("simpleTir"))).toMatch(/differs/);
  });
});

describe("settingsTableMarkdown", () => {
  it("has a row for every setting, LoRA setting and fixed choice", () => {
    const md = settingsTableMarkdown();
    for (const key of Object.keys(DEFAULT_DAPO_CONFIG)) expect(md).toContain(`| \`${key}\` |`);
    expect(md.split("\n").filter((l) => l.startsWith("| ")).length).toBe(1 + SETTINGS_MAP.settings.length + SETTINGS_MAP.lora.length + SETTINGS_MAP.fixed.length);
  });
});

describe("the README's settings table", () => {
  it("is the table settings_map.json generates (else: npx tsx src/recipe/write_settings_table.ts)", () => {
    const path = fileURLToPath(new URL("../../README.md", import.meta.url));
    expect(settingsTableIn(readFileSync(path, "utf8"))).toBe(settingsTableMarkdown().trim());
  });
});
