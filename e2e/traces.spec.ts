// End-to-end: trace permalinks built with Node's zlib open in a fresh browser context (even without WebGPU)
// with markup shown as text; broken, oversized and newer-version links show an error; the Traces page opens a
// traces.jsonl, filters, scrolls a virtualised list of thousands, and copies a permalink that opens elsewhere;
// after a reload it lists every run saved in the browser and reads a picked run's traces. Only that last test
// needs WebGPU (SwiftShader): it trains a one-step run on the bundled tiny model; the others load no model.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page, expect, test } from "@playwright/test";
import { setField } from "./train_form";
import { deflateRawSync } from "node:zlib";

type Segment = { kind: string; text: string; tool?: string; ms?: number; error?: string };
type Trace = {
  v: number;
  model: string;
  step?: number;
  question: string;
  gold?: string[];
  segments: Segment[];
  reward?: { total: number; correct: boolean; format: boolean; overlong: number };
  tokens?: { policy: number; forced: number };
  created: string;
};

const XSS = `<img src=x onerror="window.__pwned = 1">`;
const hostile: Trace = {
  v: 1,
  model: "tiny",
  step: 4,
  question: `What is 6 × 7? ${XSS} <script>window.__pwned = 2</script>`,
  gold: ["42"],
  segments: [
    { kind: "think", text: `Let me search, then compute. ${XSS}` },
    { kind: "search", text: "six times seven" },
    { kind: "response", tool: "search", text: `<b>Doc 1</b> ${XSS}`, ms: 12 },
    { kind: "code", text: "print(6 * 7)  # <i>not html</i>" },
    { kind: "response", tool: "python", text: "42", ms: 30 },
    { kind: "answer", text: "42" },
  ],
  reward: { total: 1, correct: true, format: true, overlong: 0 },
  tokens: { policy: 57, forced: 9 },
  created: "2025-06-01T12:00:00.000Z",
};

/** The Traces page's virtualised list (not the options of its select boxes). */
function rows(page: Page) {
  return page.getByRole("listbox", { name: "Traces" });
}

/** The permalink payload, made by Node's zlib (not by the app's code). */
function payloadOf(value: unknown): string {
  return deflateRawSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64url");
}

/** Opens `url` in a brand-new browser context (no storage shared with any other page). */
async function openFresh(browser: Browser, url: string, options: { noWebGpu?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (options.noWebGpu) {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined, configurable: true });
    });
  }
  await page.goto(url);
  return page;
}

async function expectTraceShown(page: Page, trace: Trace) {
  await expect(page.getByRole("heading", { name: "Shared trace" })).toBeVisible();
  await expect(page.getByTestId("trace-question")).toHaveText(trace.question);
  for (const kind of ["think", "search", "response", "code", "answer"]) {
    await expect(page.locator(`.seg[data-kind="${kind}"]`).first()).toBeVisible();
  }
  await expect(page.locator(".seg")).toHaveCount(trace.segments.length);
}

test("a permalink made by Node's zlib opens in a fresh context, markup shown as text, without WebGPU too", async ({ browser, baseURL }) => {
  const url = `${baseURL}/#/t/${payloadOf(hostile)}`;
  for (const noWebGpu of [false, true]) {
    const page = await openFresh(browser, url, { noWebGpu });
    await expectTraceShown(page, hostile);
    await expect(page.locator(".seg-think")).toContainText(XSS);
    await expect(page.locator(".seg-code")).toContainText("<i>not html</i>");
    await expect(page.getByText("✓ correct")).toBeVisible();
    await expect(page.locator(".trace-meta")).toContainText("57 written by the model, 9 forced");
    // No markup from the trace became an element, and none of its scripts ran.
    await expect(page.locator("main img, main script, main b, main i")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.getByRole("heading", { name: "WebGPU is not available" })).toHaveCount(0);
    await page.context().close();
  }
});

test("broken, oversized and newer-version permalinks show an error panel, not a crash", async ({ browser, baseURL }) => {
  const full = deflateRawSync(Buffer.from(JSON.stringify(hostile)));
  const cases: [string, RegExp][] = [
    ["this*is*not*base64", /damaged.*character 5 is "\*"/],
    [Buffer.from("plain text, not compressed").toString("base64url"), /not deflate-raw/],
    [full.subarray(0, full.length - 10).toString("base64url"), /not deflate-raw/],
    [payloadOf("a JSON string, not a trace"), /not a JSON object/],
    [deflateRawSync(Buffer.from([0x22, 0xff, 0xfe, 0x22])).toString("base64url"), /not UTF-8 JSON/],
    [deflateRawSync(Buffer.from('{"v":1,')).toString("base64url"), /not UTF-8 JSON/],
    [payloadOf({ ...hostile, question: undefined }), /no question/],
    [payloadOf({ ...hostile, v: 2 }), /made by a newer TAPO Studio/],
    // A highly compressible trace: a few hundred bytes in the link, over 256 KiB once inflated.
    [payloadOf({ ...hostile, question: "a".repeat(300 * 1024) }), /over 256 KiB/],
    ["", /holds no trace/],
  ];
  const page = await openFresh(browser, `${baseURL}/#/traces`);
  for (const [payload, message] of cases) {
    await page.goto(`${baseURL}/#/t/${payload}`);
    const alert = page.getByTestId("permalink-error");
    await expect(alert).toHaveAttribute("role", "alert");
    await expect(alert.getByRole("heading", { name: "This permalink cannot be opened" })).toBeVisible();
    await expect(alert).toContainText(message);
    // A person reads what went wrong and what to ask for; the exact reason is folded away.
    await expect(alert.getByTestId("permalink-why")).toHaveText(/^(The link|This trace)/);
    await expect(alert.locator("details.permalink-detail")).not.toHaveAttribute("open", /.*/);
    await expect(page.getByRole("navigation", { name: "Studio" })).toBeVisible();
  }
  expect(cases[8]![0].length).toBeLessThan(2000);
  // A good link after the bad ones still opens (the page survived them all).
  await page.goto(`${baseURL}/#/t/${payloadOf(hostile)}`);
  await expect(page.getByTestId("trace-question")).toHaveText(hostile.question);
  await page.context().close();
});

function runTraces(): Trace[] {
  const plain = (step: number, correct: boolean, question: string, segments: Segment[]): Trace => ({
    ...hostile,
    step,
    question,
    segments,
    reward: { total: correct ? 1 : 0, correct, format: true, overlong: 0 },
  });
  return [
    plain(0, false, "Where does the Zorblat river flow?", [{ kind: "search", text: "Zorblat" }, { kind: "response", tool: "search", text: "to the sea" }, { kind: "answer", text: "north" }]),
    hostile,
    plain(1, false, "How many primes are below 30?", [{ kind: "think", text: "count them" }, { kind: "answer", text: "9" }]),
  ];
}

test("the Traces page opens traces.jsonl, filters, and copies a permalink that opens in a new context", async ({ browser, context, page, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
  await page.goto("/#/traces");
  await expect(page.locator("#page-title")).toHaveText("Traces");
  const [a, b, c] = runTraces().map((t) => JSON.stringify(t));
  const file = [a, b, "{this line is broken", JSON.stringify({ v: 9, model: "x" }), c, ""].join("\n");
  await page.getByLabel("Open traces.jsonl").setInputFiles({ name: "run-7.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(file) });
  await expect(page.getByTestId("traces-file-note")).toContainText("Loaded 3 traces from run-7.jsonl; skipped 2 bad lines (line 3: not JSON; line 4:");
  await expect(page.getByLabel("Run", { exact: true })).toHaveValue("run-7.jsonl");
  await expect(page.getByTestId("trace-count")).toHaveText("3 traces");
  await expect(rows(page).getByRole("option")).toHaveCount(3);

  await page.getByLabel("Used code").selectOption("yes");
  await expect(page.getByTestId("trace-count")).toHaveText("1 of 3 traces");
  await page.getByLabel("Used code").selectOption("any");
  await page.getByLabel("Outcome").selectOption("incorrect");
  await expect(rows(page).getByRole("option")).toHaveCount(2);
  await page.getByLabel("Step").fill("1");
  await expect(rows(page).getByRole("option")).toHaveCount(1);
  await expect(rows(page).getByRole("option")).toContainText("primes");
  await page.getByLabel("Step").fill("soon");
  await expect(page.getByRole("alert").filter({ hasText: "Step filter ignored" })).toBeVisible();
  await page.getByLabel("Step").fill("");
  await page.getByLabel("Outcome").selectOption("all");
  await page.getByLabel("Used search").selectOption("yes");
  await page.getByLabel("Find text").fill("6 × 7");
  await expect(rows(page).getByRole("option")).toHaveCount(1);

  await rows(page).getByRole("option").click();
  await expect(rows(page).getByRole("option")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("trace-question")).toHaveText(hostile.question);
  await expect(page.locator(".traces-page img")).toHaveCount(0);
  await page.getByRole("button", { name: "Copy permalink" }).click();
  await expect(page.getByTestId("permalink-status")).toContainText("copied to the clipboard");
  const url = await page.getByTestId("permalink-url").inputValue();
  expect(url).toMatch(new RegExp(`^${baseURL}/#/t/[A-Za-z0-9_-]+$`));
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  const fresh = await openFresh(browser, url);
  await expectTraceShown(fresh, hostile);
  await fresh.context().close();
});

test("where the clipboard is refused, the link is shown in a field to copy by hand", async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, "writeText", { value: () => Promise.reject(new DOMException("denied", "NotAllowedError")) });
  });
  await page.goto("/#/traces");
  await page.getByLabel("Open traces.jsonl").setInputFiles({ name: "one.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(JSON.stringify(hostile)) });
  await expect(page.getByTestId("traces-file-note")).toHaveText("Loaded 1 trace from one.jsonl.");
  await rows(page).getByRole("option").click();
  await page.getByRole("button", { name: "Copy permalink" }).click();
  await expect(page.getByTestId("permalink-status")).toContainText("did not allow copying");
  const field = page.getByLabel("Permalink", { exact: true });
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  expect(await field.inputValue()).toContain("/#/t/");
});

test("a file with no usable line is refused with a message, and thousands of traces stay virtualised and keyboard operable", async ({ page }) => {
  await page.goto("/#/traces");
  const input = page.getByLabel("Open traces.jsonl");
  await input.setInputFiles({ name: "junk.jsonl", mimeType: "application/jsonl", buffer: Buffer.from("nope\n[1,2]\n") });
  await expect(page.getByTestId("traces-file-note")).toHaveAttribute("role", "alert");
  await expect(page.getByTestId("traces-file-note")).toContainText("line 1: not JSON; line 2:");

  const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...hostile, step: Math.floor(i / 8), question: `question number ${i}` }));
  await input.setInputFiles({ name: "big.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(many.join("\n")) });
  await expect(page.getByTestId("trace-count")).toHaveText("3000 traces");
  const rendered = await rows(page).getByRole("option").count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);

  const list = page.getByRole("listbox", { name: "Traces" });
  await list.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("trace-question")).toHaveText("question number 0");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("trace-question")).toHaveText("question number 1");
  await page.keyboard.press("End");
  await expect(page.getByTestId("trace-question")).toHaveText("question number 2999");
  await expect(rows(page).getByRole("option", { selected: true })).toContainText("question number 2999");
  await expect(list).toHaveAttribute("aria-activedescendant", "trace-row-2999");
  await page.keyboard.press("Home");
  await expect(rows(page).getByRole("option", { selected: true })).toContainText("question number 0");

  await page.getByLabel("Step").fill("100-101");
  await expect(page.getByTestId("trace-count")).toHaveText("16 of 3000 traces");
  await expect(rows(page).getByRole("option").first()).toContainText("question number 800");
});

test("after a reload the Traces page lists every saved run and reads a picked run's traces", async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  // Two runs on the bundled tiny model (the app loads it by itself): one step that saves traces, then a run
  // stopped before its first step, which saves none and, being the newest, is the one the Train page shows.
  await page.goto("/#/model");
  await expect(page.getByTestId("load-model")).toHaveAttribute("data-status", "loaded", { timeout: 120_000 });
  await page.getByRole("link", { name: "Train" }).click();
  const settings: [string, string, string][] = [
    ["Steps", "steps", "1"],
    ["Evaluate every", "evalEvery", "0"],
    ["Evaluation tasks", "evalTasks", "1"],
    ["Samples per evaluation task", "evalSamples", "0"],
    ["Checkpoint every", "checkpointEvery", "1"],
    ["Group size G", "groupSize", "2"],
    ["Prompts per batch", "promptsPerBatch", "2"],
    ["Max response tokens L_max", "maxResponseTokens", "64"],
    ["Overlong buffer L_cache", "overlongBuffer", "16"],
    ["Tool turns", "maxTurns", "1"],
    ["Tool response tokens", "toolResponseTokens", "32"],
    ["Max regeneration rounds", "maxRegenerationRounds", "1"],
  ];
  for (const [label, key, value] of settings) await setField(page, label, key, value);
  const status = page.getByTestId("run-status");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(status).toHaveText("Finished", { timeout: 300_000 });
  await page.getByLabel("Run name").fill("one tiny step");
  await page.getByRole("button", { name: "Save name and note" }).click();
  await expect(page.getByLabel("Saved run")).toContainText("one tiny step · run-");
  await page.getByRole("button", { name: "Start" }).click();
  await expect(status).toHaveText("Running", { timeout: 60_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(status).toHaveText("Stopped", { timeout: 120_000 });

  // A fresh page that opens on the Traces page, without visiting the Train page: both runs are listed, none is read yet.
  await page.goto("about:blank");
  await page.goto("/#/traces");
  const picker = page.getByLabel("Run", { exact: true });
  const saved = picker.locator('optgroup[label="Saved in this browser"] option');
  await expect(saved).toHaveCount(2, { timeout: 30_000 });
  await expect(saved.nth(0)).toHaveText(/^run-\S+ · .*tiny.* · step 0 of 1 · stopped$/);
  await expect(saved.nth(1)).toHaveText(/^one tiny step · .*tiny.* · step 1 of 1 · finished$/);
  await expect(picker).toHaveValue("");
  await expect(rows(page)).toHaveCount(0);

  await picker.selectOption({ label: (await saved.nth(1).textContent())! });
  // The step's rollouts: 2 prompts × 2 samples (at the cap on regeneration rounds the batch is padded, so all 4).
  await expect(page.getByTestId("trace-count")).toHaveText("4 traces", { timeout: 30_000 });
  await expect(rows(page).getByRole("option")).toHaveCount(4);
  await rows(page).getByRole("option").first().click();
  await expect(page.getByTestId("trace-question")).not.toBeEmpty();
  await expect(page.locator(".trace-meta")).toContainText("Step1");
  // The picker with its groups, the list and the trace pass axe's WCAG 2 A/AA rules.
  const audit = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(audit.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("traces-page.png"), fullPage: true });
  await testInfo.attach("traces-page", { path: testInfo.outputPath("traces-page.png"), contentType: "image/png" });

  // The stopped run has nothing to show, and says so; an opened file joins the list beside the saved runs.
  await picker.selectOption({ label: (await saved.nth(0).textContent())! });
  await expect(page.getByTestId("run-no-traces")).toHaveText(/^run-\S+ has no traces yet/);
  await expect(rows(page)).toHaveCount(0);
  await page.getByLabel("Open traces.jsonl").setInputFiles({ name: "one.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(JSON.stringify(hostile)) });
  await expect(picker).toHaveValue("one.jsonl");
  await expect(picker.locator('optgroup[label="Other traces"] option')).toHaveText(["one.jsonl · 1 trace"]);
  await expect(saved).toHaveCount(2);
});

