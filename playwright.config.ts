// Playwright end-to-end tests against the built app, served by `vite preview`
// on a fixed localhost port, in the Chromium the browser finder picks.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./src/cli/node/browser.ts";

const port = Number(process.env.E2E_PORT ?? 4317);
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: "e2e",
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  workers: 1,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: ".reports/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "on-first-retry",
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !ci,
    timeout: 60_000,
  },
});
