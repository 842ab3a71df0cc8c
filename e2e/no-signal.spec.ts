// End-to-end: a run that cannot learn says so. The bundled tiny model gets imported questions whose gold answers no
// model could write, so every rollout scores -1 (wrong, or out of format; no overlong buffer, so nothing else moves
// a reward), dynamic sampling keeps no group, and after three such steps the Train page shows, as an alert, why
// nothing is learned and what to try. Needs Chromium with WebGPU (SwiftShader).
import { expect, test } from "@playwright/test";
import { setField } from "./train_form";

test.describe.configure({ timeout: 300_000 });

test("a run whose rollouts all score alike warns that nothing is learned, and says what to try", async ({ page }) => {
  await page.goto("/#/model");
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 120_000 });
  await page.getByRole("link", { name: "Data" }).click();
  const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ question: `What is ${12 + i} + ${30 + i}?`, answer: `qzxv${i}wq` }));
  await page.getByLabel("Dataset file (JSONL, CSV or Parquet)").setInputFiles({ name: "impossible.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(rows.join("\n")) });
  await expect(page.getByTestId("import-summary")).toHaveText("12 tasks from 12 rows; 0 skipped.");
  await page.getByRole("button", { name: "Use these tasks" }).click();
  await expect(page.getByTestId("task-source")).toHaveAttribute("data-kind", "imported");

  await page.getByRole("link", { name: "Train" }).click();
  for (const [label, key, value] of [
    ["Steps", "steps", "3"],
    ["Evaluate every", "evalEvery", "0"],
    ["Evaluation tasks", "evalTasks", "1"],
    ["Samples per evaluation task", "evalSamples", "0"],
    ["Group size G", "groupSize", "2"],
    ["Prompts per batch", "promptsPerBatch", "2"],
    ["Mini-batches", "miniBatches", "1"],
    ["Max response tokens L_max", "maxResponseTokens", "48"],
    ["Overlong buffer L_cache", "overlongBuffer", "0"],
    ["Max regeneration rounds", "maxRegenerationRounds", "1"],
  ] as const) {
    await setField(page, label, key, value);
  }
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("Finished", { timeout: 240_000 });
  const warning = page.getByTestId("no-signal");
  await expect(warning).toHaveAttribute("role", "alert");
  await expect(warning).toContainText(/^Nothing is being learned: dynamic sampling kept no group in the last 3 steps, because every group's rollouts scored alike \(all wrong\)/);
  await expect(warning).toContainText("tapo sft");
  await expect(page.locator('[data-chart="kept-groups"]')).toHaveAttribute("data-points", "3");
});
