// Checks the LoRA merge on the CPU (no GPU): merged weights equal W + (alpha/r)·B·A
// computed naively in float64, the merged model's log-probs equal the float64
// reference's base + adapter log-probs, and adapters that do not fit are refused.
import { describe, expect, it } from "vitest";
import { initLora, loraScale } from "../model/lora";
import { randomWeights } from "../model/weights";
import { dequantize } from "../quant/weights";
import { refModel, refSequence } from "../ref/model";
import { randomSequences } from "../model/testing";
import { ExportError } from "./errors";
import { checkAdapterFits, mergeLora } from "./merge";
import { exportTestConfig } from "./testing";
import { LINEAR_NAMES } from "../protocol/lora";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe("mergeLora", () => {
  const config = exportTestConfig();
  const base = randomWeights(config, 11);
  const lora = initLora(config, { r: 4, alpha: 8, targets: ["q", "v", "o", "down"] }, 12, 0.2);
  const merged = mergeLora(base, lora);

  it("gives W + (alpha/r)·B·A for adapted layers and W elsewhere", () => {
    const s = loraScale(lora.config);
    let worst = 0;
    base.layers.forEach((layer, l) => {
      for (const name of LINEAR_NAMES) {
        const W = dequantize(layer.linear[name]);
        const got = dequantize(merged.layers[l]!.linear[name]);
        const pair = lora.layers[l]![name];
        if (!pair) {
          expect(maxAbs(got, W)).toBe(0);
          continue;
        }
        const { rows: N, cols: K } = layer.linear[name];
        const want = new Float64Array(N * K);
        for (let n = 0; n < N; n++) {
          for (let k = 0; k < K; k++) {
            let dot = 0;
            for (let j = 0; j < 4; j++) dot += (pair.B[n * 4 + j] as number) * (pair.A[j * K + k] as number);
            want[n * K + k] = (W[n * K + k] as number) + s * dot;
          }
        }
        // The update is not negligible, and the merge is it up to one f32 rounding.
        expect(maxAbs(want, W)).toBeGreaterThan(1e-2);
        worst = Math.max(worst, maxAbs(got, want));
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });

  it("has the float64 reference's base + adapter log-probs within 1e-5", () => {
    const seqs = randomSequences(13, [9, 14], config.vocab);
    const mergedRef = refModel(merged);
    const baseRef = refModel(base);
    let worst = 0;
    let moved = 0;
    for (const seq of seqs) {
      const want = refSequence(baseRef, seq, lora).logp;
      worst = Math.max(worst, maxAbs(refSequence(mergedRef, seq).logp, want));
      moved = Math.max(moved, maxAbs(refSequence(baseRef, seq).logp, want));
    }
    expect(moved).toBeGreaterThan(1e-2);
    expect(worst).toBeLessThan(1e-5);
  });

  it("copies the weights unchanged without an adapter", () => {
    const plain = mergeLora(base);
    expect(maxAbs(dequantize(plain.layers[1]!.linear.q), dequantize(base.layers[1]!.linear.q))).toBe(0);
    expect(plain.finalNorm).toBe(base.finalNorm);
  });

  it("dequantizes q8_0 weights to f32 before merging", () => {
    const q8 = randomWeights(config, 11, "q8_0");
    const out = mergeLora(q8, lora);
    expect(out.embed.format).toBe("f32");
    expect(out.layers[0]!.linear.gate.format).toBe("f32");
  });

  it("refuses an adapter of another model's shapes", () => {
    const other = initLora(exportTestConfig({ intermediate: 128 }), { r: 4, alpha: 8, targets: ["down"] }, 1, 0.1);
    expect(() => checkAdapterFits(base, other)).toThrow(ExportError);
    expect(() => mergeLora(base, other)).toThrow(/layer 0 down_proj .* different base model/);
    const deeper = initLora(exportTestConfig({ layers: 3 }), { r: 4, alpha: 8, targets: ["q"] }, 1, 0.1);
    expect(() => mergeLora(base, deeper)).toThrow(/3 layers but the model has 2/);
  });
});
