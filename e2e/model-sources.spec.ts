// End-to-end: the Model page lists the Qwen2.5 presets with sizes and memory estimates that follow the chosen preset
// and quantization, takes picked and dropped files as the model source, and downloads from a fake Hub (page.route,
// no real network) into the cache with progress, Cancel, Use and Delete. Needs a browser; no GPU work.
import { expect, test } from "@playwright/test";
import { FAKE_HUB_COMMIT, fakeHub } from "./fake_hub";
import { randomBytes } from "node:crypto";


test("the presets show download sizes and estimates that follow preset and quantization", async ({ page }) => {
  await page.goto("/#/model");
  const rows = page.locator('tr[data-testid^="preset-"]');
  await expect(rows).toHaveCount(8);
  const small = page.getByTestId("preset-Qwen/Qwen2.5-0.5B");
  // 494,032,768 parameters × 2 bytes (bf16), the published 988 MB.
  await expect(small.getByTestId("preset-size")).toHaveAttribute("title", "988065536 bytes");
  await expect(small.getByTestId("preset-size")).toHaveText(/MiB/);

  const estimateOf = async (id: string) =>
    Number((await page.getByTestId(`preset-${id}`).getByTestId("preset-estimate").getAttribute("title"))!.split(" ")[0]);
  // The control sets what downloaded and picked models load with (q4_0 by default); the bundled tiny model, chosen at
  // start, loads in f32 whatever it says, and a note beside the control says so.
  await expect(page.getByRole("radio", { name: /^q4_0/ })).toBeChecked();
  await expect(page.getByTestId("bundled-quant-note")).toContainText("always loads in f32");
  const q4 = await estimateOf("Qwen/Qwen2.5-0.5B");
  const detail = page.getByTestId("selected-estimate");
  const q4Text = await detail.textContent();
  await page.getByRole("radio", { name: /^q8_0/ }).check();
  await expect(detail).not.toHaveText(q4Text!);
  await expect(detail).toContainText("q8_0 weights");
  expect(await estimateOf("Qwen/Qwen2.5-0.5B")).toBeGreaterThan(q4);

  // The 7B preset in f32 does not fit the default 4 GiB budget: a warning says so.
  await page.getByRole("radio", { name: "Qwen/Qwen2.5-7B-Instruct" }).check();
  await page.getByRole("radio", { name: /^none/ }).check();
  await expect(page.getByTestId("fit-warning")).toContainText("This will not fit");
  await expect(page.getByRole("heading", { name: "Qwen/Qwen2.5-7B-Instruct" })).toBeVisible();
  // A bigger budget clears the budget warning unless a single buffer is over the adapter's limit.
  await page.getByRole("radio", { name: /^q4_0/ }).check();
  await page.getByLabel("GPU memory budget (GiB)").fill("64");
  // Whether one buffer exceeds the binding limit depends on the adapter; the budget no longer binds.
  await expect(page.getByTestId("selected-estimate")).toContainText("q4_0 weights");
  await expect(page.getByText(/the budget is/)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Use the bundled tiny model" })).toBeEnabled();
  await expect(page.locator(".gpu-panel")).toBeVisible();
});

test("picked files, a picked .gguf and a dropped .gguf become the chosen source", async ({ page }) => {
  await page.goto("/#/model");
  // The bundled tiny model is the choice until another is made: its panel, listed first, is the one highlighted,
  // and the choice reads in words (f32, shipped with the app) rather than "none base weights, 0 B of files".
  await expect(page.getByTestId("chosen-source")).toContainText("the bundled tiny model, f32 (unquantized) base weights, files shipped with the app");
  const bundledPanel = page.locator("section[data-chosen]").first();
  await expect(bundledPanel).toHaveAttribute("aria-labelledby", "bundled-title");
  await expect(bundledPanel).toHaveAttribute("data-chosen", "true");
  await expect(page.locator('tr[data-chosen="true"]')).toHaveCount(0);
  const gguf = { name: "tiny-q4_0.gguf", mimeType: "application/octet-stream", buffer: randomBytes(1234) };
  await page.getByLabel("Choose model files").setInputFiles(gguf);
  await expect(page.getByTestId("chosen-source")).toContainText("tiny-q4_0.gguf (GGUF file from your disk), q4_0 base weights, 1.21 KiB of files");
  await expect(bundledPanel).toHaveAttribute("data-chosen", "false");

  await page.getByLabel("Choose model files").setInputFiles([
    { name: "config.json", mimeType: "application/json", buffer: Buffer.from('{"model_type":"qwen2"}') },
    { name: "model.safetensors", mimeType: "application/octet-stream", buffer: randomBytes(4096) },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a model file") },
  ]);
  await expect(page.getByTestId("chosen-source")).toContainText("Hugging Face files from your disk");
  const files = page.getByRole("list", { name: "chosen files" });
  await expect(files.getByRole("listitem")).toHaveText([/^config.json/, /^model.safetensors/]);

  await page.getByLabel("Choose model files").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("x") });
  await expect(page.getByTestId("source-error")).toContainText("holds no model");

  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(321)], "dropped.gguf"));
    return dt;
  });
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer });
  await expect(page.getByTestId("chosen-source")).toContainText("dropped.gguf (GGUF file from your disk)");
  await expect(page.getByTestId("source-error")).toHaveCount(0);
});

test("a Hub download streams into the cache, is chosen, listed with its size, and deleted", async ({ page }) => {
  const repo = "Qwen/Qwen2.5-0.5B-Instruct";
  const files = {
    "config.json": Buffer.from('{"model_type":"qwen2"}'),
    "model.safetensors": randomBytes(300_000),
    "README.md": Buffer.from("# not downloaded"),
  };
  const seen = await fakeHub(page, repo, files);
  // Each test runs in a fresh browser context, so the cache starts empty.
  await page.goto("/#/model");
  await expect(page.getByTestId("cache-empty")).toBeVisible();
  await page.getByRole("radio", { name: repo }).check();
  await page.getByRole("button", { name: new RegExp(`^Download ${repo}`) }).click();
  await expect(page.getByText("Downloaded and cached")).toBeVisible();
  await expect(page.getByTestId("chosen-source")).toContainText(`${repo} (from the cache)`);
  const row = page.getByTestId(`cached-${repo}`);
  await expect(row).toContainText("complete");
  const total = files["config.json"].length + files["model.safetensors"].length;
  await expect(row.locator("td").nth(1)).toHaveAttribute("title", `${total} bytes`);
  expect(seen.some((s) => s.includes("README.md"))).toBe(false);
  await expect(page.getByRole("button", { name: `Use cached copy of ${repo}` })).toBeVisible();

  await row.getByRole("button", { name: `Delete ${repo}` }).click();
  await expect(page.getByTestId("cache-empty")).toBeVisible();
  await expect(page.getByText("None yet")).toBeVisible();
});

test("a slow download shows progress and can be cancelled, leaving an incomplete cache entry that resumes at its commit", async ({ page }) => {
  const repo = "someone/slow-model";
  const seen = await fakeHub(page, repo, { "config.json": Buffer.from("{}"), "model.safetensors": randomBytes(50_000) }, { slowFile: "model.safetensors", delayMs: 4000 });
  // Each test runs in a fresh browser context, so the cache starts empty.
  await page.goto("/#/model");
  await page.getByLabel("Hugging Face model id").fill(repo);
  await page.getByRole("button", { name: "Download from the Hub" }).click();
  await expect(page.getByRole("progressbar", { name: `downloading ${repo}` })).toBeVisible();
  // config.json (2 bytes) has arrived; the weights are on their way.
  await expect(page.getByTestId("download-figures")).toContainText(/^2 B of .* B\/s · .* · model\.safetensors$/);
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page.getByText(/^Cancelled\./)).toBeVisible();
  await expect(page.getByTestId(`cached-${repo}`)).toContainText("incomplete");
  // main was resolved to a commit once and every file read there; downloading again goes on at that commit without
  // asking what main is now (it may have moved), so the copy cannot mix two revisions.
  expect(seen.filter((s) => s.endsWith(`/api/models/${repo}/revision/main`))).toHaveLength(1);
  expect(seen.filter((s) => s.includes("/resolve/")).every((s) => s.includes(`/resolve/${FAKE_HUB_COMMIT}/`))).toBe(true);
  await page.getByRole("button", { name: "Download from the Hub" }).click();
  await expect(page.getByTestId(`cached-${repo}`)).not.toContainText("incomplete", { timeout: 30_000 });
  expect(seen.filter((s) => s.endsWith(`/api/models/${repo}/revision/main`))).toHaveLength(1);
  expect(seen.filter((s) => s.includes(`/api/models/${repo}/tree/${FAKE_HUB_COMMIT}`)).length).toBe(2);

  await page.getByLabel("Hugging Face model id").fill("nobody/nothing");
  await page.getByRole("button", { name: "Download from the Hub" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "no model named nobody/nothing" })).toBeVisible();
});
