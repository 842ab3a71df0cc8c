// End-to-end smoke test of `npx tapo bench --model test/tiny`: it reports the adapter and every figure the
// contract names (kernel GFLOP/s, training with its per-kernel split, prefill and decode tokens/s) as positive numbers, one JSON line each.
// Needs Chromium with WebGPU (SwiftShader); the figures themselves are not judged (speed is for benchmarks).
import { execFile } from "node:child_process";
import { expect, test } from "@playwright/test";

test.describe.configure({ timeout: 240_000 });

test("bench prints every figure as a JSON line", async () => {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile("node", ["bin/tapo.mjs", "bench", "--model", "test/tiny", "--json"], (error, out, err) => (error ? reject(new Error(err)) : resolve(out)));
  });
  const records = stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; name?: string; value?: number; unit?: string });
  expect(records[0]?.event).toBe("adapter");
  const names = records.filter((r) => r.event === "bench").map((r) => r.name);
  for (const name of [
    "linear_forward_q4_0",
    "lora_forward_backward",
    "attention_forward",
    "attention_forward_backward",
    "train_tokens_per_second",
    "train_step_kernel",
    "prefill_tokens_per_second_batch1",
    "decode_tokens_per_second_batch1",
    "decode_tokens_per_second_batch32",
  ]) {
    expect(names).toContain(name);
  }
  // The step's kernel split: one record per kernel, shares of one whole, the linear layers among them.
  const split = records.filter((r) => r.name === "train_step_kernel") as { kernel?: string; share?: number }[];
  expect(split.map((r) => r.kernel)).toEqual(expect.arrayContaining([expect.stringMatching(/^linear_forward/), expect.stringMatching(/^attention_backward/)]));
  expect(Math.abs(split.reduce((s, r) => s + (r.share ?? 0), 0) - 1)).toBeLessThan(1e-6);
  for (const r of records.filter((x) => x.event === "bench")) {
    expect(r.value, r.name).toBeGreaterThan(0);
    expect(Number.isFinite(r.value), r.name).toBe(true);
  }
});
