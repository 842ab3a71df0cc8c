// End-to-end: with a tiny random model loaded, the Playground streams an answer from the trainer worker: text arrives
// in several updates, segments render as text (never HTML), and the run finishes with token counts; with no run trained,
// the base model answers and the page says how to get an adapter; Stop ends an answer where it is (that Stop also skips
// the base model's turn of a comparison is checked in askInTurn.test.ts). On the bundled tiny model, the first Python
// call shows "Starting Python…" while Pyodide boots; after a one-step run, the adapter and the base model answer side by
// side with one seed, the base model as it did before training. Attaches a screenshot of the Playground
// (docs/screenshots/playground.png is one) and checks it with axe-core. Needs Chromium with WebGPU (SwiftShader); the
// random model's content is noise, the mechanics are real.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { setField } from "./train_form";
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

/** Loads the random model from its GGUF on the Model page. */
async function loadRandomModel(page: Page) {
  await page.goto("/#/model");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await page.getByLabel("Choose model files").setInputFiles({ name: "tiny.gguf", mimeType: "application/octet-stream", buffer: gguf });
  await page.getByRole("button", { name: "Load into the trainer" }).click();
  // The bundled model loads by itself at start: wait for the random one, not for whichever load finished first.
  await expect(page.getByTestId("loaded-label")).toContainText("tiny.gguf", { timeout: 60_000 });
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 60_000 });
}

/** Trains a one-step run on the Train page, as small as the settings allow, to its end. */
async function trainOneStep(page: Page) {
  await page.getByRole("link", { name: "Train" }).click();
  for (const [label, key, value] of [
    ["Steps", "steps", "1"],
    ["Evaluate every", "evalEvery", "0"],
    ["Evaluation tasks", "evalTasks", "1"],
    ["Samples per evaluation task", "evalSamples", "0"],
    ["Group size G", "groupSize", "2"],
    ["Prompts per batch", "promptsPerBatch", "1"],
    ["Mini-batches", "miniBatches", "1"],
    ["Max response tokens L_max", "maxResponseTokens", "48"],
    ["Overlong buffer L_cache", "overlongBuffer", "4"],
    ["Tool turns", "maxTurns", "1"],
    ["Tool response tokens", "toolResponseTokens", "32"],
    ["Max regeneration rounds", "maxRegenerationRounds", "1"],
  ] as const) {
    await setField(page, label, key, value);
  }
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("Finished", { timeout: 300_000 });
}

/** The text of an answer's segments (not the tool timings in their headings, which vary from run to run). */
const segmentTexts = (column: Locator) => column.locator(".seg p, .seg pre").allTextContents();

test("the Playground streams an answer from the loaded model", async ({ page }) => {
  await loadRandomModel(page);

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
  // No run was trained in this tab: the base model answers, and the page says what would give an adapter to compare with.
  await expect(answer.getByRole("heading", { name: "Base model" })).toBeVisible();
  await expect(page.getByTestId("model-choice")).toContainText("Training a run on the Train page gives an adapter to compare with");
  await expect(page.getByLabel("Compare with the base model")).toHaveCount(0);
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

  // Stop ends the answer where it is: what was written stays, unfinished, and the page can ask again. (The tiny format's
  // short prompt: the byte-level tokenizer makes the tapo format's prompt about 1,700 tokens, slow to read in.)
  await page.getByLabel("Format").selectOption("tiny");
  await page.getByLabel("Max response tokens").fill("1024");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByTestId("playground-stats")).toContainText(/^([5-9]|\d{2,}) tokens written/, { timeout: 60_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(answer).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
  await expect(answer).toContainText("Stopped before the end.");
  await expect(page.getByTestId("playground-stats")).not.toContainText("finished");
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Ask" })).toBeEnabled();
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
  // The first Python call of the page waits for Pyodide to boot: the page says so while it does (and not after).
  const pythonStatus = page.getByTestId("python-status");
  const sawPythonStart = pythonStatus.waitFor({ state: "visible", timeout: 120_000 }).then(
    async () => (await pythonStatus.textContent()) ?? "",
    () => "",
  );
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
  expect(await sawPythonStart).toBe("Starting Python (the first use takes a few seconds)…");
  await expect(pythonStatus).toHaveCount(0);
  const code = (await answer.locator('.seg[data-kind="code"] pre').first().textContent()) ?? "";
  // The output shown is what Python prints for that code: the same code through `tapo tool python` gives the same text
  // (with the question's numbers bound as nums, as the tiny format's rollouts run it).
  const shown = (await answer.locator('.seg[data-kind="response"] pre').first().textContent()) ?? "";
  const cli = await tapo(["tool", "python", code, "--question", question, "--json"]);
  expect(cli.code).toBe(0);
  expect(shown.trim()).toBe(String((JSON.parse(cli.stdout.trim()) as { response: string }).response).trim());
  await expect(answer.locator('.seg[data-kind="answer"]')).toHaveCount(1);
});

test("after a one-step run, the adapter and the base model answer side by side with one seed", async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await page.goto("/#/model");
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 120_000 });

  // Before training: the base model answers, sampled with seed 3 (typed in the seed control).
  await page.getByRole("link", { name: "Playground" }).click();
  const answer = page.getByTestId("playground-answer");
  await page.getByLabel("Question").fill("What is 675 + 431?");
  await page.getByLabel("Temperature").fill("0.7");
  await page.getByLabel("Seed").fill("3");
  await page.getByLabel("Max response tokens").fill("128");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(answer).toHaveAttribute("data-status", "done", { timeout: 120_000 });
  await expect(answer.getByTestId("answer-base").getByTestId("playground-stats")).toContainText("seed 3");
  const baseBefore = await segmentTexts(answer.getByTestId("answer-base"));
  expect(baseBefore.length).toBeGreaterThan(0);

  await trainOneStep(page);

  // The Playground now answers with that run's adapter, and offers the comparison.
  await page.getByRole("link", { name: "Playground" }).click();
  await expect(page.getByTestId("model-choice")).toContainText(/The trained adapter of run-\S+ \(step 1\) answers/);
  await page.getByLabel("Compare with the base model").check();
  await page.getByRole("button", { name: "Ask" }).click();
  const adapterColumn = answer.getByTestId("answer-adapter");
  const baseColumn = answer.getByTestId("answer-base");
  // (The order, adapter then base model, one at a time, is checked in askInTurn.test.ts: here both take under a second.)
  await expect(adapterColumn).toHaveCount(1);
  await expect(answer).toHaveAttribute("data-status", "done", { timeout: 240_000 });
  await expect(answer.getByRole("heading", { name: "Answers, side by side" })).toBeVisible();
  await expect(adapterColumn.getByRole("heading")).toHaveText(/^Trained adapter \(run-\S+, step 1\)$/);
  await expect(baseColumn.getByRole("heading")).toHaveText("Base model");
  // Both columns sit side by side: the base model's to the right of the adapter's, on the same row.
  const [a, b] = [await adapterColumn.boundingBox(), await baseColumn.boundingBox()];
  expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
  expect(Math.abs(b!.y - a!.y)).toBeLessThan(2);
  for (const column of [adapterColumn, baseColumn]) {
    await expect(column.getByTestId("playground-stats")).toContainText(/finished: \w+; seed 3$/);
    await expect(column.locator(".seg").first()).toBeVisible();
  }
  // The base column is the frozen model: with the same seed and settings it writes what it wrote before training.
  expect(await segmentTexts(baseColumn)).toEqual(baseBefore);

  await page.screenshot({ path: testInfo.outputPath("playground.png"), fullPage: true });
  await testInfo.attach("playground", { path: testInfo.outputPath("playground.png"), contentType: "image/png" });
  // The answers side by side pass axe-core's WCAG 2 A and AA rules too (a11y.spec.ts checks the empty page).
  const audit = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(audit.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
