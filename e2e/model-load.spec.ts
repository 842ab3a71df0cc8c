// End-to-end: one tiny random Qwen2 model written as a .gguf, as a Hugging Face folder and served by a fake Hub
// reaches the same loaded model in the app (same architecture, and the same probe log-prob, which also matches
// the float64 reference); a truncated file shows its error. Needs Chromium with WebGPU (SwiftShader).
import { expect, type Page, test } from "@playwright/test";
import { writeQwen2Gguf } from "../src/loader/gguf_write_model";
import { hfFolderBytes } from "../src/loader/hf_testing";
import { randomWeights } from "../src/model/weights";
import { tinyConfig } from "../src/model/testing";
import { refModel, refSequence } from "../src/ref/model";
import { tinyByteLevelGgufMeta, tinyByteLevelTokenizerJson } from "../src/tokenizer/testing";
import { fakeHub } from "./fake_hub";

test.describe.configure({ timeout: 120_000 });

// GGUF stores eps as f32: a power of two keeps it exact in every format.
// The vocabulary covers the tiny byte-level tokenizer (258 tokens) the files carry.
const config = tinyConfig({ rmsEps: 2 ** -20, tieEmbeddings: false, vocab: 260 });
const weights = randomWeights(config, 4242, "f32");
const gguf = Buffer.from(writeQwen2Gguf(weights, { types: "native", tokenizer: tinyByteLevelGgufMeta() }));
const tokenizerFiles = new Map<string, Uint8Array>([
  ["tokenizer.json", new TextEncoder().encode(JSON.stringify(tinyByteLevelTokenizerJson()))],
  ["tokenizer_config.json", new TextEncoder().encode(JSON.stringify({ eos_token: "<|endoftext|>" }))],
]);
const folder = [...hfFolderBytes(weights), ...tokenizerFiles].map(([name, bytes]) => ({
  name,
  mimeType: "application/octet-stream",
  buffer: Buffer.from(bytes),
}));

/** The mean log-prob of the probe the trainer runs after loading, from the float64 reference. */
function referenceProbe(): number {
  const probe = Array.from({ length: 8 }, (_, i) => (i * 7919) % config.vocab);
  const { logp } = refSequence(refModel(weights), probe);
  return logp.reduce((a, b) => a + b, 0) / logp.length;
}

async function loadAndReadProbe(page: Page): Promise<number> {
  await page.getByRole("button", { name: "Load into the trainer" }).click();
  const panel = page.getByTestId("load-model");
  await expect(panel).toHaveAttribute("data-status", "loaded", { timeout: 60_000 });
  await expect(page.getByTestId("loaded-arch")).toContainText(
    `${config.layers} layers, hidden ${config.hidden}, ${config.heads} heads / ${config.kvHeads} kv heads, vocabulary ${config.vocab}`,
  );
  // What is loaded is what is chosen: loading it again is offered no more.
  await expect(page.getByRole("button", { name: "Load into the trainer" })).toBeDisabled();
  await expect(page.getByTestId("already-loaded")).toBeVisible();
  return Number(await page.getByTestId("loaded-probe").textContent());
}

test("a .gguf, a picked folder and a Hub download reach the same loaded model", async ({ page }, testInfo) => {
  await fakeHub(page, "tiny/random-qwen2", Object.fromEntries(folder.map((f) => [f.name, f.buffer])));
  await page.goto("/#/model");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await page.getByRole("radio", { name: /^none/ }).check();
  const want = referenceProbe();

  await page.getByLabel("Choose model files").setInputFiles({ name: "tiny.gguf", mimeType: "application/octet-stream", buffer: gguf });
  const fromGguf = await loadAndReadProbe(page);
  await expect(page.getByTestId("loaded-tokenizer")).toContainText("258 tokens");
  await expect(page.getByTestId("loaded-label")).toContainText("gguf");
  expect(Math.abs(fromGguf - want)).toBeLessThan(1e-4);

  await page.getByLabel("Choose model files").setInputFiles(folder);
  const fromFolder = await loadAndReadProbe(page);
  await expect(page.getByTestId("loaded-label")).toContainText("safetensors");
  expect(fromFolder).toBe(fromGguf);

  await page.getByLabel("Hugging Face model id").fill("tiny/random-qwen2");
  await page.getByRole("button", { name: "Download from the Hub" }).click();
  await expect(page.getByTestId("chosen-source")).toContainText("tiny/random-qwen2 (from the cache)", { timeout: 30_000 });
  const fromHub = await loadAndReadProbe(page);
  expect(fromHub).toBe(fromGguf);
  await page.screenshot({ path: testInfo.outputPath("model-page.png"), fullPage: true });
  await testInfo.attach("model-page", { path: testInfo.outputPath("model-page.png"), contentType: "image/png" });
});

test("a truncated .gguf shows what happened instead of loading", async ({ page }) => {
  await page.goto("/#/model");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  const cut = gguf.subarray(0, Math.floor(gguf.length * 0.6));
  await page.getByLabel("Choose model files").setInputFiles({ name: "cut.gguf", mimeType: "application/octet-stream", buffer: cut });
  await page.getByRole("button", { name: "Load into the trainer" }).click();
  await expect(page.getByTestId("load-error")).toContainText(/truncated|ends at byte|past the end/, { timeout: 30_000 });
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "failed");
});

test("a folder without tokenizer.json is refused with what to do", async ({ page }) => {
  await page.goto("/#/model");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await page.getByLabel("Choose model files").setInputFiles(folder.filter((f) => f.name !== "tokenizer.json"));
  await page.getByRole("button", { name: "Load into the trainer" }).click();
  await expect(page.getByTestId("load-error")).toContainText("the model folder has no tokenizer.json; copy tokenizer.json");
});
