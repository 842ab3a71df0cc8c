// Checks the global gradient-norm kernels and several AdamW steps (clipping active and inactive) against the float64 reference. Needs WebGPU (headless Chromium).
import { describe, it } from "vitest";
import { adamwRef, gradNormRef } from "../../ref/adamw";
import { assertClose } from "../../ref/compare";
import { freshSeed, mulberry32, uniformArray } from "../../util/random";
import { readF32, runDispatches, storageBuffer } from "../kernel";
import { gpuChecked, poisonedF32, testDevice } from "../testing";
import { type AdamHyper, createAdamHyper, prepareAdamW, prepareGradNorm, writeAdamHyper } from "./adamw";

describe("grad_norm", () => {
  it("sums squares over many buffers of awkward sizes", async () => {
    const device = await testDevice();
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const sizes = [1, 255, 256, 257, 1000, 3, 4097];
    const host = sizes.map((n) => uniformArray(rand, n, -3, 3));
    const partial = poisonedF32(device, sizes.length + 2);
    const norm = poisonedF32(device, 1);
    await gpuChecked(device, () =>
      runDispatches(device, prepareGradNorm(device, host.map((g) => ({ buffer: storageBuffer(device, g), n: g.length })), { partial, norm })),
    );
    const gotPartial = await readF32(device, partial, sizes.length);
    assertClose(gotPartial, host.map((g) => gradNormRef([g]) ** 2), { atol: 1e-6, rtol: 1e-5 }, `grad_norm partial seed=${seed}`);
    assertClose(await readF32(device, norm, 1), [gradNormRef(host)], { atol: 1e-6, rtol: 1e-5 }, `grad_norm seed=${seed}`);
  });
});

describe("adamw_update", () => {
  for (const maxNorm of [1e4, 0.3, 0]) {
    it(`takes several steps like the reference (maxNorm ${maxNorm}: clipping ${maxNorm > 0 && maxNorm < 1 ? "active" : "inactive"})`, async () => {
      const device = await testDevice();
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const sizes = [1, 300, 1029];
      const params = sizes.map((n) => uniformArray(rand, n, -1, 1));
      const refParam = params.map((p) => Float64Array.from(p));
      const refM = sizes.map((n) => new Float64Array(n));
      const refV = sizes.map((n) => new Float64Array(n));
      const bufParam = params.map((p) => storageBuffer(device, p));
      const bufGrad = sizes.map((n) => storageBuffer(device, n * 4));
      const bufM = sizes.map((n) => storageBuffer(device, new Float32Array(n)));
      const bufV = sizes.map((n) => storageBuffer(device, new Float32Array(n)));
      const partial = poisonedF32(device, sizes.length);
      const norm = poisonedF32(device, 1);
      const hyper = createAdamHyper(device);
      const dispatches = await gpuChecked(device, () => [
        ...prepareGradNorm(device, sizes.map((n, i) => ({ buffer: bufGrad[i]!, n })), { partial, norm }),
        ...sizes.map((n, i) =>
          prepareAdamW(device, { param: bufParam[i]!, grad: bufGrad[i]!, m: bufM[i]!, v: bufV[i]!, norm, hyper }, { n }),
        ),
      ]);
      for (let step = 1; step <= 4; step++) {
        const grads = sizes.map((n) => uniformArray(rand, n, -0.05, 0.05));
        grads.forEach((g, i) => device.queue.writeBuffer(bufGrad[i]!, 0, g));
        const h: AdamHyper = { lr: 0.01 * step, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step, maxNorm };
        writeAdamHyper(device, hyper, h);
        await gpuChecked(device, () => runDispatches(device, dispatches));
        const refNorm = gradNormRef(grads);
        for (let i = 0; i < sizes.length; i++) adamwRef(refParam[i]!, grads[i]!, refM[i]!, refV[i]!, refNorm, h);
        const ctx = `adamw step ${step} maxNorm ${maxNorm} seed=${seed}`;
        assertClose(await readF32(device, norm, 1), [refNorm], { atol: 1e-7, rtol: 1e-5 }, `${ctx} norm`);
        for (let i = 0; i < sizes.length; i++) {
          const n = sizes[i]!;
          assertClose(await readF32(device, bufM[i]!, n), refM[i]!, { atol: 1e-8, rtol: 1e-5 }, `${ctx} m[${i}]`);
          assertClose(await readF32(device, bufV[i]!, n), refV[i]!, { atol: 1e-10, rtol: 1e-5 }, `${ctx} v[${i}]`);
          assertClose(await readF32(device, bufParam[i]!, n), refParam[i]!, { atol: 1e-6, rtol: 1e-5 }, `${ctx} param[${i}]`);
        }
      }
    });
  }
});
