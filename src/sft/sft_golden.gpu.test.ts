// Checks that the engine's full-parameter SFT replays the native PyTorch trainer (scripts/tiny_sft.py): from the golden folder's weights, through the real loader, each sftStep on the golden batch reports the recorded loss and gradient norm, and sftLoss after the last step the recorded final loss (fixture: src/sft/golden/, written by scripts/tiny_sft_golden.py). Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { gpuChecked, testDevice } from "../gpu/testing";
import { bytesSource, fileSet } from "../io/source";
import { loadModel } from "../loader/load_model";
import { AdamWOptimizer } from "../model/optimizer";
import { sftLoss, sftStep } from "./sft_step";
import type { SftExample } from "./sft_weights";

type GoldenStep = { step: number; lr: number; loss: number; gradNorm: number; policyTokens: number };
type GoldenRecord = {
  command: string;
  adam: { beta1: number; beta2: number; eps: number; weightDecay: number; maxNorm: number };
  steps: GoldenStep[];
  finalLoss: number;
};

/**
 * |engine − native| ≤ ATOL + RTOL·|native|. Both sides compute in f32 in different orders (WGSL
 * tiles vs. PyTorch's kernels) and the difference compounds over the steps. On SwiftShader the
 * largest seen is 2.2e-7 relative for the losses and 6.8e-7 for the gradient norms (step 3); a
 * 1% change of the weight decay, or a recorded loss off by 2e-5, already fails.
 */
const RTOL = 2e-6;
const ATOL = 1e-6;

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).toString();

async function fetchBytes(name: string): Promise<Uint8Array> {
  const res = await fetch(golden(name));
  if (!res.ok) throw new Error(`${golden(name)}: HTTP ${res.status}; regenerate the fixture with the command in record.json`);
  return new Uint8Array(await res.arrayBuffer());
}

const decode = async (name: string) => JSON.parse(new TextDecoder().decode(await fetchBytes(name))) as unknown;

function expectClose(got: number, want: number, what: string): void {
  const tol = ATOL + RTOL * Math.abs(want);
  expect(Math.abs(got - want), `${what}: engine ${got}, native ${want} (tolerance ${tol})`).toBeLessThanOrEqual(tol);
}

describe("SFT against the native PyTorch trainer", () => {
  for (const microBatch of [undefined, 2]) {
    it(`replays the recorded losses and gradient norms${microBatch ? `, in micro-batches of ${microBatch}` : ""}`, async () => {
      const device = await testDevice();
      const record = (await decode("record.json")) as GoldenRecord;
      const batch = (await decode("batch.json")) as SftExample[];
      const files = fileSet("golden", await Promise.all(["config.json", "model.safetensors"].map(async (n) => bytesSource(n, await fetchBytes(n)))));
      const { runtime } = await gpuChecked(device, () => loadModel(device, files, { quant: "f32", mode: { kind: "full" } }));
      const optimizer = new AdamWOptimizer(device, runtime.model.trainables);
      for (const want of record.steps) {
        const got = await gpuChecked(device, () =>
          sftStep(runtime, optimizer, batch, { ...record.adam, lr: want.lr }, { gradNorm: true, ...(microBatch ? { microBatch } : {}) }),
        );
        expect(got.policyTokens, `step ${want.step}`).toBe(want.policyTokens);
        expectClose(got.loss, want.loss, `step ${want.step} loss`);
        expectClose(got.gradNorm!, want.gradNorm, `step ${want.step} gradient norm`);
      }
      const { loss } = await gpuChecked(device, () => sftLoss(runtime, batch));
      expectClose(loss, record.finalLoss, "loss after the last step");
      optimizer.destroy();
      runtime.destroy();
    });
  }
});
