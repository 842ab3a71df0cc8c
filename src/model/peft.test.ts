// Checks PEFT LoRA adapters: save -> load round trips, the key variants and dtypes PEFT writes, and every refusal. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { type SafetensorsInput, readSafetensorsHeader, writeSafetensors } from "../formats/safetensors";
import { bytesSource, fileSet } from "../io/source";
import { bf16BitsToF32 } from "../quant/f16";
import { freshSeed, mulberry32 } from "../util/random";
import { initLora, peftName, type LoraWeights } from "./lora";
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, PeftAdapterError, loadPeftAdapter, savePeftAdapter } from "./peft";
import { tinyConfig } from "./testing";
import { linearShape } from "./weights";

const model = tinyConfig();

function folder(config: unknown, tensors: Uint8Array | SafetensorsInput[]) {
  const bytes = tensors instanceof Uint8Array ? tensors : writeSafetensors(tensors);
  return fileSet("adapter-dir", [
    bytesSource(ADAPTER_CONFIG, new TextEncoder().encode(typeof config === "string" ? config : JSON.stringify(config))),
    bytesSource(ADAPTER_WEIGHTS, bytes),
  ]);
}

/** The saved adapter's tensors as inputs, renamed and retyped, for tests of other writers' variants. */
async function savedTensors(lora: LoraWeights, rename = (n: string) => n, dtype: SafetensorsInput["dtype"] = "F32"): Promise<SafetensorsInput[]> {
  const saved = savePeftAdapter(lora, { baseModel: "Qwen/Qwen2.5-0.5B" });
  const src = bytesSource(ADAPTER_WEIGHTS, saved[ADAPTER_WEIGHTS]);
  const header = await readSafetensorsHeader(src);
  const out: SafetensorsInput[] = [];
  for (const info of header.tensors.values()) {
    const bytes = await src.read(info.begin, info.end - info.begin);
    const data = new Float32Array(bytes.slice().buffer);
    out.push({ name: rename(info.name), dtype, shape: info.shape, data });
  }
  return out;
}

/** A LoRA whose every value is exactly representable in bf16. */
function bf16Lora(lora: LoraWeights): LoraWeights {
  const round = (a: Float32Array) => a.map((v) => bf16BitsToF32(new Uint32Array(new Float32Array([v]).buffer)[0]! >>> 16));
  return { config: lora.config, layers: lora.layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, p]) => [k, { A: round(p.A), B: round(p.B) }]))) };
}

describe("PEFT adapters", () => {
  const seed = freshSeed();
  const lora = initLora(model, { r: 4, alpha: 8, targets: ["q", "v", "o", "down"] }, seed, 0.3);
  const saved = savePeftAdapter(lora, { baseModel: "Qwen/Qwen2.5-0.5B" });

  it(`writes the adapter_config.json fields PEFT and vLLM read (seed ${seed})`, () => {
    const cfg = JSON.parse(saved[ADAPTER_CONFIG]) as Record<string, unknown>;
    expect(cfg).toMatchObject({
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 4,
      lora_alpha: 8,
      base_model_name_or_path: "Qwen/Qwen2.5-0.5B",
      lora_dropout: 0,
      bias: "none",
      fan_in_fan_out: false,
      use_rslora: false,
      use_dora: false,
      modules_to_save: null,
      init_lora_weights: true,
      inference_mode: true,
    });
    expect(cfg.target_modules).toEqual(["q_proj", "v_proj", "o_proj", "down_proj"]);
  });

  it(`names and shapes tensors as PEFT does, in F32 (seed ${seed})`, async () => {
    const header = await readSafetensorsHeader(bytesSource(ADAPTER_WEIGHTS, saved[ADAPTER_WEIGHTS]));
    expect(header.tensors.size).toBe(model.layers * 4 * 2);
    const a = header.tensors.get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight")!;
    const b = header.tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight")!;
    expect([a.dtype, a.shape]).toEqual(["F32", [4, model.intermediate]]);
    expect([b.dtype, b.shape]).toEqual(["F32", [model.heads * model.headDim, 4]]);
  });

  it(`loads back exactly what it saved (seed ${seed})`, async () => {
    const back = await loadPeftAdapter(folder(saved[ADAPTER_CONFIG], saved[ADAPTER_WEIGHTS]), model);
    expect(back).toEqual(lora);
  });

  it(`accepts ".default" keys, keys without "base_model.model.", and BF16/F16 tensors (seed ${seed})`, async () => {
    const exact = bf16Lora(lora);
    const cfg = savePeftAdapter(exact, { baseModel: "x" })[ADAPTER_CONFIG];
    const variants: [string, (n: string) => string, SafetensorsInput["dtype"]][] = [
      ["default", (n) => n.replace(/\.weight$/, ".default.weight"), "F32"],
      ["no prefix", (n) => n.replace(/^base_model\.model\./, ""), "BF16"],
      ["both", (n) => n.replace(/^base_model\.model\./, "").replace(/\.weight$/, ".default.weight"), "F16"],
    ];
    for (const [label, rename, dtype] of variants) {
      const tensors = await savedTensors(exact, rename, dtype);
      const back = await loadPeftAdapter(folder(cfg, tensors), model);
      if (dtype === "F16") {
        // bf16 values need not be f16 values: within f16's half-ulp (relative 2^-11), plus its subnormal step.
        back.layers.forEach((l, i) =>
          Object.entries(l).forEach(([k, p]) => {
            const want = exact.layers[i]![k as "q"]!;
            p.A.forEach((v, j) => expect(Math.abs(v - want.A[j]!)).toBeLessThanOrEqual(Math.abs(want.A[j]!) * 2 ** -11 + 2 ** -25));
            p.B.forEach((v, j) => expect(Math.abs(v - want.B[j]!)).toBeLessThanOrEqual(Math.abs(want.B[j]!) * 2 ** -11 + 2 ** -25));
          }),
        );
      } else expect(back, label).toEqual(exact);
    }
  });

  it(`reads "all-linear" and regex target_modules (seed ${seed})`, async () => {
    const all = initLora(model, { r: 2, alpha: 4, targets: ["q", "k", "v", "o", "gate", "up", "down"] }, seed);
    const files = savePeftAdapter(all, { baseModel: "x" });
    for (const target_modules of ["all-linear", ".*\\.(q|k|v|o|gate|up|down)_proj"]) {
      const cfg = { ...JSON.parse(files[ADAPTER_CONFIG]), target_modules };
      expect((await loadPeftAdapter(folder(cfg, files[ADAPTER_WEIGHTS]), model)).config.targets).toEqual(all.config.targets);
    }
  });
});

describe("PEFT adapter refusals", () => {
  const seed = freshSeed();
  const lora = initLora(model, { r: 4, alpha: 8, targets: ["q", "down"] }, seed, 0.1);
  const saved = savePeftAdapter(lora, { baseModel: "x" });
  const cfg = JSON.parse(saved[ADAPTER_CONFIG]) as Record<string, unknown>;
  const refuse = async (config: unknown, tensors: Uint8Array | SafetensorsInput[], pattern: RegExp) => {
    const err = await loadPeftAdapter(folder(config, tensors), model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PeftAdapterError);
    expect(String(err)).toMatch(pattern);
  };

  it("refuses targets the engine does not adapt", async () => {
    for (const t of ["embed_tokens", "lm_head"]) {
      await refuse({ ...cfg, target_modules: ["q_proj", t] }, saved[ADAPTER_WEIGHTS], new RegExp(`targets module ${t}, which TAPO Studio does not adapt`));
    }
    const extra = [...(await savedTensors(lora)), { name: "base_model.model.lm_head.lora_A.weight", dtype: "F32" as const, shape: [4, 64], data: new Float32Array(256) }];
    await refuse(cfg, extra, /holds tensor base_model.model.lm_head.lora_A.weight, which is not a LoRA matrix/);
    const unlisted = await savedTensors(initLora(model, { r: 4, alpha: 8, targets: ["q", "k", "down"] }, seed));
    await refuse(cfg, unlisted, /does not list k_proj in target_modules/);
  });

  it("refuses DoRA, rsLoRA and per-module ranks", async () => {
    await refuse({ ...cfg, use_dora: true }, saved[ADAPTER_WEIGHTS], /use_dora: true: DoRA adapters are not supported/);
    await refuse({ ...cfg, use_rslora: true }, saved[ADAPTER_WEIGHTS], /use_rslora: true: rank-stabilised LoRA/);
    await refuse({ ...cfg, rank_pattern: { q_proj: 8 } }, saved[ADAPTER_WEIGHTS], /per-module ranks/);
  });

  it("names a tensor whose shape does not match the model, with both shapes", async () => {
    const wide = tinyConfig({ intermediate: 128 });
    const other = savePeftAdapter(initLora(wide, lora.config, seed), { baseModel: "y" });
    await refuse(cfg, other[ADAPTER_WEIGHTS], /tensor base_model\.model\.model\.layers\.0\.mlp\.down_proj\.lora_A\.weight has shape \[4, 128\] but the model expects \[4, 96\]/);
  });

  it("refuses a layer beyond the model", async () => {
    const deeper = savePeftAdapter(initLora(tinyConfig({ layers: 3 }), lora.config, seed), { baseModel: "y" });
    await refuse(cfg, deeper[ADAPTER_WEIGHTS], /adapts layer 2, but the model has 2 layers/);
  });

  it("names a missing A or B", async () => {
    for (const which of ["A", "B"] as const) {
      const name = peftName(1, "q", which);
      const tensors = (await savedTensors(lora)).filter((t) => t.name !== name);
      await refuse(cfg, tensors, new RegExp(`has no ${name.replace(/\./g, "\\.")} although adapter_config.json targets q_proj`));
    }
  });

  it("refuses a rank that disagrees with adapter_config.json", async () => {
    await refuse({ ...cfg, r: 8 }, saved[ADAPTER_WEIGHTS], /has shape \[4, 64\], rank 4, but adapter_config.json says r = 8/);
    const [N] = linearShape(model, "q");
    const rand = mulberry32(seed);
    const tensors = (await savedTensors(lora)).map((t) =>
      t.name === peftName(0, "q", "B") ? { ...t, shape: [N, 3], data: Float32Array.from({ length: N * 3 }, rand) } : t,
    );
    await refuse(cfg, tensors, new RegExp(`lora_B.weight has shape \\[${N}, 3\\], rank 3, but adapter_config.json says r = 4`));
  });

  it("lists the folder when a file is missing", async () => {
    const files = fileSet("half-adapter", [bytesSource(ADAPTER_CONFIG, new TextEncoder().encode(saved[ADAPTER_CONFIG]))]);
    await expect(loadPeftAdapter(files, model)).rejects.toThrow(/half-adapter has no adapter_model.safetensors \(it has adapter_config.json\)/);
  });
});
