// End-to-end: the built app in headless Chromium reports a WebGPU adapter, is cross-origin isolated,
// navigates between its pages, and explains itself when WebGPU is missing. Needs a browser; WebGPU via SwiftShader.
import { expect, test } from "@playwright/test";

test("the WebGPU panel reports the adapter the browser offers", async ({ page }) => {
  await page.goto("/");
  const panel = page.locator(".gpu-panel");
  await expect(panel).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  const expected = await page.evaluate(async () => {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) throw new Error("no adapter in the page");
    return {
      vendor: adapter.info.vendor || "unknown",
      maxBufferSize: adapter.limits.maxBufferSize,
      invocations: adapter.limits.maxComputeInvocationsPerWorkgroup,
      subgroups: adapter.features.has("subgroups"),
    };
  });
  await expect(panel.getByTestId("gpu-vendor")).toHaveText(expected.vendor);
  await expect(panel.getByTestId("limit-maxBufferSize")).toHaveAttribute("title", String(expected.maxBufferSize));
  await expect(panel.getByTestId("limit-maxComputeInvocationsPerWorkgroup")).toHaveText(String(expected.invocations));
  await expect(panel.getByTestId("feature-subgroups")).toHaveText(`subgroups: ${expected.subgroups ? "yes" : "no"}`);
});

test("the page is cross-origin isolated, so SharedArrayBuffer exists", async ({ page }) => {
  await page.goto("/");
  const isolation = await page.evaluate(() => ({
    isolated: self.crossOriginIsolated,
    sab: typeof SharedArrayBuffer,
  }));
  expect(isolation).toEqual({ isolated: true, sab: "function" });
});

test("navigation reaches every place of the studio", async ({ page }) => {
  await page.goto("/");
  // The navigation follows the first-run loop, which the Model page's "start here" spells out with a link a step.
  const nav = page.getByRole("navigation", { name: "Studio" });
  await expect(nav.getByRole("link")).toHaveText(["Model", "Playground", "Data", "Train", "Traces"]);
  await expect(page.getByTestId("start-here").locator("li strong")).toHaveText(["Model", "Playground", "Data", "Train", "Traces"]);
  for (const title of ["Data", "Train", "Playground", "Traces", "Model"]) {
    await page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: title }).click();
    await expect(page.locator("#page-title")).toHaveText(title);
    await expect(page.getByRole("link", { name: title })).toHaveAttribute("aria-current", "page");
  }
  await page.goto("/#/no-such-page");
  await expect(page.getByRole("heading", { name: "No such page" })).toBeVisible();
});

test("without WebGPU the app says which browsers and flags work", async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined, configurable: true });
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "WebGPU is not available" })).toBeVisible();
  await expect(page.getByText("--enable-unsafe-webgpu")).toBeVisible();
});
