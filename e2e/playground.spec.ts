// End-to-end: with a tiny random model loaded, the Playground streams an answer from the trainer worker:
// text arrives in several updates, segments render as text (never HTML), and the run finishes with token counts.
// Needs Chromium with WebGPU (SwiftShader); the model is random, so the content is noise, the mechanics are real.
import { expect, test } from "@playwright/test";
import { tapo } from "./tapo_cli";
import { writeQwen2Gguf } from "../src/loader/gguf_write_model";
import { tinyConfig } from "../src/model/testing";
import { randomWeights } from "../src/model/weights";
import { CHATML_TEMPLATE, tinyByteLevelGgufMeta } from "../src/tokenizer/testing";

test.describe.configure({ timeout: 180_000 });

// vocab = the tokenizer's 258 tokens, so every sampled id decodes to visible text.
const config = tinyConfig({ rmsEps: 2 ** -20, vocab: 258, maxPositions: 4096 });
const gguf = Buffer.from(
  // Small weights give flat next-token distributions, so the random model writes varied text (not one repeated token).
  writeQwen2Gguf(randomWeights(config, 77, "f32", 0.2), { types: "native", tokenizer: { ...tinyByteLevelGgufMeta(), chatTemplate: CHATML_TEMPLATE } }),
);

test("the Playground streams an answer from the loaded model", async ({ page }) => {
  await page.goto("/#/model");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await page.getByLabel("Choose model files").setInputFiles({ name: "tiny.gguf", mimeType: "application/octet-stream", buffer: gguf });
  await page.getByRole("button", { name: "Load into the trainer" }).click();
  // The bundled model loads by itself at start: wait for the random one, not for whichever load finished first.
  await expect(page.getByTestId("loaded-label")).toContainText("tiny.gguf", { timeout: 60_000 });
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 60_000 });

  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Question").fill("What is <b>17</b> times 23?");
  await page.getByLabel("Max response tokens").fill("96");
  // Sampled (seeded, so repeatable): greedy decoding of a random model can repeat one whitespace token, which makes no segment.
  await page.getByLabel("Temperature").fill("1");
  await page.getByRole("button", { name: "Ask" }).click();

  // Watch the answer grow: more than one distinct partial text before it finishes.
  const answer = page.getByTestId("playground-answer");
  const seen = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const status = await answer.getAttribute("data-status");
    const stats = (await page.getByTestId("playground-stats").textContent()) ?? "";
    seen.add(stats);
    if (status === "done" || status === "error") break;
    await page.waitForTimeout(100);
  }
  await expect(answer).toHaveAttribute("data-status", "done");
  expect(seen.size).toBeGreaterThan(2);
  const stats = (await page.getByTestId("playground-stats").textContent()) ?? "";
  const policy = Number(/^(\d+) tokens written/.exec(stats)?.[1]);
  expect(policy).toBeGreaterThan(0);
  expect(stats).toMatch(/finished: (answer|length|eos|max_turns)/);
  await expect(answer.locator(".seg").first()).toBeVisible();
  // The question's markup never becomes HTML anywhere on the page.
  await expect(page.locator(".playground-page b")).toHaveCount(0);

  // Sample again: the same question with the next seed, which the stats name; a random model's sample differs.
  expect(stats).toContain("seed 1");
  const first = (await answer.locator(".segments").textContent()) ?? "";
  await page.getByRole("button", { name: "Sample again" }).click();
  await expect(page.getByTestId("playground-stats")).toContainText("seed 2", { timeout: 30_000 });
  await expect(answer).toHaveAttribute("data-status", "done", { timeout: 120_000 });
  await expect(page.getByLabel("Seed")).toHaveValue("2");
  expect((await answer.locator(".segments").textContent()) ?? "").not.toBe(first);
  // The random model loaded from a GGUF has no format of its own: no format warning.
  await expect(page.getByTestId("format-warning")).toHaveCount(0);
});

test("an uploaded corpus is indexed for search, bad rows counted, and an unusable file refused", async ({ page }) => {
  await page.goto("/#/playground");
  const upload = page.getByLabel("Add a search corpus (JSONL: id, title, text)");
  const rows = [JSON.stringify({ id: "a", title: "Zorblat", text: "Zorblat is a river." }), "{broken", JSON.stringify({ id: "b", title: "Quenby", text: "Quenby is a town." })];
  await upload.setInputFiles({ name: "mine.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(rows.join("\n")) });
  await expect(page.getByTestId("corpus-note")).toContainText("indexed 2 documents from mine.jsonl; skipped 1 bad rows (line 2");
  await upload.setInputFiles({ name: "empty.jsonl", mimeType: "application/jsonl", buffer: Buffer.from("nope\n") });
  await expect(page.getByTestId("corpus-note")).toHaveAttribute("role", "alert");
});

test("the Playground answers a question with the Python tool on the bundled tiny model", async ({ page }) => {
  // The bundled model is the default choice and loads by itself; its rollout format comes with it.
  await page.goto("/#/model");
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 120_000 });
  await page.getByRole("link", { name: "Playground" }).click();
  await expect(page.getByLabel("Format")).toHaveValue("tiny");
  // Another preset than the one the model learned gets a warning; its own clears it.
  await page.getByLabel("Format").selectOption("tapo");
  await expect(page.getByTestId("format-warning")).toContainText("learned the tiny format");
  await page.getByLabel("Format").selectOption("tiny");
  await expect(page.getByTestId("format-warning")).toHaveCount(0);
  await page.getByLabel("Temperature").fill("0");
  await page.getByLabel("Max response tokens").fill("128");
  // Computations from the tiny level's test split (seed 1). Greedy, the tiny model calls Python on every one of them
  // (tapo_build.json); ask until one answer uses it, so a model that sometimes does not still passes. (Sampled, each
  // question of the Playground draws the same seeded random numbers, so its choices are not independent tries.)
  const questions = ["What is 675 + 431?", "What is 85 * 11?", "What is 407 - 205?", "What is 507 + 646?", "What is 19 * 56?", "What is 511 + 200?"];

  const answer = page.getByTestId("playground-answer");
  let asked = 0;
  let question = "";
  for (question of questions) {
    await page.getByLabel("Question").fill(question);
    await page.getByRole("button", { name: "Ask" }).click();
    await expect(answer).toHaveAttribute("data-status", "done", { timeout: 120_000 });
    asked++;
    if ((await answer.locator('.seg[data-kind="code"]').count()) > 0) break;
  }
  await expect(answer.locator('.seg[data-kind="code"]').first(), `no Python call in ${asked} answers`).toBeVisible();
  await expect(page.getByTestId("playground-stats")).toContainText(/tool call/);
  const code = (await answer.locator('.seg[data-kind="code"] pre').first().textContent()) ?? "";
  // The output shown is what Python prints for that code: the same code through `tapo tool python` gives the same text
  // (with the question's numbers bound as nums, as the tiny format's rollouts run it).
  const shown = (await answer.locator('.seg[data-kind="response"] pre').first().textContent()) ?? "";
  const cli = await tapo(["tool", "python", code, "--question", question, "--json"]);
  expect(cli.code).toBe(0);
  expect(shown.trim()).toBe(String((JSON.parse(cli.stdout.trim()) as { response: string }).response).trim());
  await expect(answer.locator('.seg[data-kind="answer"]')).toHaveCount(1);
});
