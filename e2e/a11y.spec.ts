// End-to-end accessibility basics: every page of the studio (and a trace opened from a permalink) passes axe-core's
// WCAG 2 A/AA rules (labels, names, roles, contrast), and the studio can be driven from the keyboard alone: Tab
// reaches the navigation, Enter opens a page, and focus is always visible. Needs Chromium (WebGPU via SwiftShader).
import { deflateRawSync } from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

test.describe.configure({ timeout: 180_000 });

const PAGES = ["Model", "Data", "Train", "Playground", "Traces"];

/** axe's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line each with the elements. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("every page passes axe-core's WCAG 2 A and AA rules", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  for (const title of PAGES) {
    await page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: title }).click();
    await expect(page.locator("#page-title")).toHaveText(title);
    // Open every folded group, so the fields inside are checked too.
    const closed = page.locator("details:not([open]) > summary");
    while ((await closed.count()) > 0) await closed.first().click();
    expect(await violations(page), `${title} page`).toEqual([]);
  }
  // The audit is live: an unlabelled field and grey-on-white text added to the page are both caught.
  await page.evaluate(() => {
    const main = document.querySelector("main")!;
    main.insertAdjacentHTML("beforeend", '<input type="text"><p style="color:#bbb;background:#fff">faint</p>');
  });
  const found = (await violations(page)).join("\n");
  expect(found).toMatch(/^label /m);
  expect(found).toMatch(/^color-contrast /m);
});

/** A permalink payload made by Node's zlib: a trace with every kind of segment. */
function tracePayload(): string {
  const trace = {
    v: 1,
    model: "tiny",
    step: 3,
    question: "What is 17 × 23?",
    gold: ["391"],
    segments: [
      { kind: "think", text: "I will compute it with Python." },
      { kind: "code", text: "print(17 * 23)" },
      { kind: "response", tool: "python", text: "391", ms: 20 },
      { kind: "search", text: "seventeen" },
      { kind: "response", tool: "search", text: "Doc 1: seventeen is a prime number.", ms: 5 },
      { kind: "answer", text: "391" },
    ],
    reward: { total: 1, correct: true, format: true, overlong: 0 },
    tokens: { policy: 30, forced: 12 },
    created: "2026-11-23T12:00:00.000Z",
  };
  return deflateRawSync(Buffer.from(JSON.stringify(trace), "utf8")).toString("base64url");
}

test("a trace opened from a permalink, and a broken permalink's error, pass axe-core's rules", async ({ page }) => {
  await page.goto(`/#/t/${tracePayload()}`);
  await expect(page.getByTestId("trace-question")).toHaveText("What is 17 × 23?", { timeout: 30_000 });
  const closed = page.locator("details:not([open]) > summary");
  while ((await closed.count()) > 0) await closed.first().click();
  expect(await violations(page), "trace view").toEqual([]);
  await page.goto("/#/t/not*a*payload");
  await expect(page.getByTestId("permalink-error")).toBeVisible({ timeout: 30_000 });
  expect(await violations(page), "permalink error").toEqual([]);
});

test("the keyboard alone reaches the navigation, opens a page, and focus stays visible", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator(".gpu-panel")).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  // Tab until the Train link has focus (the skip link and the navigation come first).
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.textContent?.trim() === "Train")) break;
  }
  const focused = page.locator(":focus");
  await expect(focused).toHaveText("Train");
  const outline = await focused.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
  });
  expect(outline.style !== "none" && outline.width > 0 || outline.shadow !== "none", JSON.stringify(outline)).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.locator("#page-title")).toHaveText("Train");
  // The first control of the page is reachable by Tab from the navigation.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.closest("main") !== null)) break;
  }
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
});
