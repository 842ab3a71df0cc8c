// The Train page's settings form as the end-to-end tests fill it: a setting is found by its label and key, and its
// folded group is opened first (by its summary, as a user would) when it is closed.
import type { Page } from "@playwright/test";

/** Types into a setting, first opening its folded group if it is closed. */
export async function setField(page: Page, label: string, key: string, value: string): Promise<void> {
  const input = page.getByLabel(`${label} ${key}`, { exact: true });
  const group = page.locator("details.config-group").filter({ has: input });
  if ((await group.getAttribute("open")) === null) await group.locator("> summary").click();
  await input.fill(value, { timeout: 10_000 });
}

/** Opens every folded group of settings, as a user would by clicking its summary. */
export async function openSettings(page: Page): Promise<void> {
  const closed = page.locator(".config-form details.config-group:not([open]) > summary");
  while ((await closed.count()) > 0) await closed.first().click();
}
