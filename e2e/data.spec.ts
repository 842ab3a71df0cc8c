// End-to-end: the Data page previews built-in tasks (and new ones for a new seed), imports a CSV with a custom field
// mapping (parsed rows, a skipped row with its reason), keeps the tasks in use when a file is malformed, imports from
// a faked Hugging Face datasets server and explains an offline one, and sets the search backend. Needs a browser, no GPU work.
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

const HF_SERVER = "https://datasets-server.huggingface.co";

async function trainQuestions(page: Page): Promise<string[]> {
  return page.getByTestId("builtin-train").locator("tbody td.question-cell").allTextContents();
}

async function openData(page: Page): Promise<void> {
  await page.goto("/#/data");
  await expect(page.getByRole("heading", { name: "Data", level: 2 })).toBeVisible();
}

test("built-in tasks are previewed per split, and a new seed gives new questions", async ({ page }) => {
  await openData(page);
  const preview = page.getByTestId("builtin-preview");
  await expect(preview).toHaveAttribute("data-status", "ready", { timeout: 20_000 });
  // The tiny level (the bundled model's) is the default.
  await expect(page.getByTestId("builtin-split-sizes")).toHaveText("420 train tasks and 420 test tasks.");
  await expect(page.getByTestId("task-source-label")).toHaveText("built-in tasks (tiny level), seed 1 (420 per split)");
  const train = page.getByTestId("builtin-train");
  await expect(train.locator("tbody tr")).toHaveCount(6);
  await expect(page.getByTestId("builtin-test").locator("tbody tr")).toHaveCount(6);
  // Every previewed row shows a gold answer and one of the five categories.
  for (const row of await train.locator("tbody tr").all()) {
    await expect(row.locator("td").nth(1)).not.toBeEmpty();
    await expect(row.locator("td").nth(2)).toHaveText(/^(compute|fact1|fact2|mixed|easy)$/);
  }
  const before = await trainQuestions(page);

  await page.getByLabel("Seed").fill("2");
  await expect(preview).toHaveAttribute("data-seed", "2");
  await expect(preview).toHaveAttribute("data-status", "ready");
  expect(await trainQuestions(page)).not.toEqual(before);
  await expect(page.getByTestId("task-source-label")).toHaveText("built-in tasks (tiny level), seed 2 (420 per split)");
  // The full level: TAPO-style questions for real models, with its own default counts.
  await page.getByLabel("Level").selectOption("full");
  await expect(page.getByTestId("builtin-split-sizes")).toHaveText("180 train tasks and 180 test tasks.");
  await expect(page.getByTestId("task-source-label")).toHaveText("built-in tasks, seed 2 (180 per split)");

  // Fewer easy questions: the split sizes follow, typed from the keyboard.
  await page.getByLabel("easy: needs no tool").focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("5");
  await expect(page.getByTestId("builtin-split-sizes")).toHaveText("165 train tasks and 165 test tasks.");
  // A count the generator cannot supply is explained, not a crash.
  await page.getByLabel("fact1: one search in the corpus").fill("1000");
  await expect(preview.getByRole("alert")).toContainText("the built-in fact1 questions of the test split ran out");
});

test("a CSV imports with a custom field mapping; a malformed file shows the importer's error and keeps the choice", async ({ page }) => {
  await openData(page);
  await page.getByLabel("Question column").fill("query");
  await page.getByLabel("Answers column").fill("label");
  const csv = ["query,label,origin", "What is 6 times 7?,42,toy", "Who wrote <b>Zorblat</b>?,,toy", '"Name, then number","[""x"", ""7""]",toy', "What is 1+1?,2,toy"].join("\n");
  await page.getByLabel("Dataset file (JSONL, CSV or Parquet)").setInputFiles({ name: "mine.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

  const preview = page.getByTestId("import-preview");
  await expect(preview).toHaveAttribute("data-status", "ready");
  await expect(page.getByTestId("import-summary")).toHaveText("3 tasks from 4 rows; 1 skipped.");
  const parsed = page.getByTestId("parsed-rows");
  await expect(parsed.locator("tbody tr")).toHaveCount(3);
  await expect(parsed.locator("tbody tr").nth(0)).toContainText("What is 6 times 7?");
  await expect(parsed.locator("tbody tr").nth(0)).toContainText("42");
  await expect(parsed.locator("tbody tr").nth(1).locator("td").nth(1).locator("li")).toHaveText(["x", "7"]);
  const skipped = page.getByTestId("skipped-rows").locator("tbody tr");
  await expect(skipped).toHaveCount(1);
  await expect(skipped.locator("td").nth(0)).toHaveText("3");
  await expect(skipped.locator("td").nth(1)).toContainText('no gold answer: "label" is empty');
  // The file's columns are offered for the mapping.
  await expect(page.getByText("This file's columns: query, label, origin.")).toBeVisible();
  // Nothing changed for training yet.
  await expect(page.getByTestId("task-source")).toHaveAttribute("data-kind", "builtin");

  await page.getByLabel("Test share, % held out for evaluation").fill("34");
  await expect(page.getByTestId("split-sizes")).toContainText("2 train, 1 test");
  await page.getByRole("button", { name: "Use these tasks" }).click();
  await expect(page.getByTestId("task-source-label")).toHaveText("mine.csv (2 train, 1 test)");
  await expect(page.getByTestId("task-source")).toHaveAttribute("data-kind", "imported");

  await page.getByLabel("Dataset file (JSONL, CSV or Parquet)").setInputFiles({ name: "broken.parquet", mimeType: "application/octet-stream", buffer: Buffer.from("PAR1 this is not parquet") });
  const alert = page.getByTestId("import-error");
  await expect(alert).toHaveAttribute("role", "alert");
  await expect(alert).toContainText("Could not import broken.parquet: this is not a readable Parquet file");
  await expect(page.getByTestId("task-source-label")).toHaveText("mine.csv (2 train, 1 test)");
  await expect(page.getByRole("button", { name: "Use these tasks" })).toHaveCount(0);
  // Markup in a question stayed text.
  await expect(page.locator(".data-page b")).toHaveCount(0);

  // Back to the built-in tasks, and back again.
  await page.getByRole("button", { name: "Switch to the built-in tasks" }).click();
  await expect(page.getByTestId("task-source")).toHaveAttribute("data-kind", "builtin");
  await page.getByRole("button", { name: "Switch back to mine.csv" }).click();
  await expect(page.getByTestId("task-source-label")).toHaveText("mine.csv (2 train, 1 test)");
});

test("a Hugging Face import explains an unreachable server, and reads rows from a (faked) datasets server", async ({ page }) => {
  await page.route(`${HF_SERVER}/**`, (route) => route.abort("internetdisconnected"));
  await openData(page);
  await page.getByLabel("Dataset id").fill("openai/gsm8k");
  await page.getByLabel("Config").fill("main");
  await page.getByLabel("Split").fill("train");
  await page.getByRole("button", { name: "Import from Hugging Face" }).click();
  await expect(page.getByTestId("import-error")).toContainText("could not reach the Hugging Face datasets server at https://datasets-server.huggingface.co");
  await expect(page.getByTestId("task-source")).toHaveAttribute("data-kind", "builtin");

  // The server's real answer shape: {features, rows: [{row_idx, row, truncated_cells}], num_rows_total, …}.
  await page.unroute(`${HF_SERVER}/**`);
  const requested: string[] = [];
  await page.route(`${HF_SERVER}/**`, async (route) => {
    requested.push(route.request().url());
    const rows = [
      { row_idx: 0, row: { question: "Natalia sold 48 clips in April and half as many in May. How many in all?", answer: "48 / 2 = 24\n48 + 24 = 72\n#### 72" }, truncated_cells: [] },
      { row_idx: 1, row: { question: "Weng earns $12 an hour. How much for 50 minutes?", answer: "12 / 60 * 50 = 10\n#### 10" }, truncated_cells: [] },
      { row_idx: 2, row: { question: "", answer: "#### 3" }, truncated_cells: [] },
    ];
    await route.fulfill({
      status: 200,
      headers: { "access-control-allow-origin": "*", "content-type": "application/json" },
      body: JSON.stringify({
        features: [
          { feature_idx: 0, name: "question", type: { dtype: "string", _type: "Value" } },
          { feature_idx: 1, name: "answer", type: { dtype: "string", _type: "Value" } },
        ],
        rows,
        num_rows_total: 3,
        num_rows_per_page: 100,
        partial: false,
      }),
    });
  });
  await page.getByRole("button", { name: "Import from Hugging Face" }).click();
  await expect(page.getByTestId("import-preview")).toHaveAttribute("data-status", "ready");
  expect(requested[0]).toContain("/rows?dataset=openai%2Fgsm8k&config=main&split=train&offset=0&length=100");
  await expect(page.getByRole("heading", { name: "Preview of openai/gsm8k (main/train)" })).toBeVisible();
  await expect(page.getByTestId("import-summary")).toHaveText("2 tasks from 3 rows; 1 skipped.");
  await expect(page.getByTestId("parsed-rows").locator("tbody tr").nth(0).locator("td").nth(1)).toHaveText("72");
  await expect(page.getByTestId("skipped-rows").locator("tbody tr")).toContainText("no question: none of the columns question, prompt, problem holds text");
  await page.getByLabel("Test share, % held out for evaluation").fill("0");
  await page.getByRole("button", { name: "Use these tasks" }).press("Enter");
  await expect(page.getByTestId("task-source-label")).toHaveText("openai/gsm8k (main/train) (2 train, 0 test)");
});

test("the search panel counts the bundled corpus and keeps a valid backend", async ({ page }) => {
  const documents = readFileSync("public/corpus/tapo-world.jsonl", "utf8").split("\n").filter((l) => l.trim() !== "").length;
  await openData(page);
  await expect(page.getByTestId("bundled-corpus")).toContainText(`holds ${documents} documents`);
  await expect(page.getByLabel("Add a search corpus (JSONL: id, title, text)")).toBeVisible();
  await expect(page.getByTestId("search-backend")).toHaveText("Training searches with local.");

  await page.getByLabel("Wikipedia (online)").check();
  await expect(page.getByTestId("search-backend")).toHaveText("Training searches with wikipedia.");
  await page.getByLabel("A SearXNG server (online)").check();
  await page.getByLabel("SearXNG base URL").fill("not a url");
  await expect(page.getByRole("alert")).toContainText('unknown search backend "searxng:not a url"');
  await expect(page.getByTestId("search-backend")).toHaveText("Training searches with wikipedia.");
  await page.getByLabel("SearXNG base URL").fill("http://127.0.0.1:8888");
  await expect(page.getByTestId("search-backend")).toHaveText("Training searches with searxng:http://127.0.0.1:8888.");
  await expect(page.getByRole("alert")).toHaveCount(0);
});
