// A fake Hugging Face Hub for end-to-end tests: serves one repo's files (the revision API, which
// says main is FAKE_HUB_COMMIT, the tree API and resolve URLs with Range, at main or that commit)
// through page.route, and refuses every other off-machine request.
import type { Page } from "@playwright/test";

export const HUB = "https://huggingface.co";
export const FAKE_HUB_COMMIT = "9d3c1e0b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d";

/** Serves a fake Hub repo through page.route and refuses every other off-machine request. */
export async function fakeHub(page: Page, repo: string, files: Record<string, Buffer>, opts: { slowFile?: string; delayMs?: number } = {}) {
  const seen: string[] = [];
  await page.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    (route) => route.abort("blockedbyclient"),
  );
  await page.route(`${HUB}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    seen.push(`${request.method()} ${url.pathname}`);
    const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "content-range, content-length" };
    if (request.method() === "OPTIONS") {
      return route.fulfill({ status: 204, headers: { ...cors, "access-control-allow-headers": "range", "access-control-allow-methods": "GET, HEAD" } });
    }
    if (url.pathname === `/api/models/${repo}/revision/main`) {
      return route.fulfill({ status: 200, headers: { ...cors, "content-type": "application/json" }, body: JSON.stringify({ id: repo, sha: FAKE_HUB_COMMIT }) });
    }
    if (url.pathname === `/api/models/${repo}/tree/main` || url.pathname === `/api/models/${repo}/tree/${FAKE_HUB_COMMIT}`) {
      const body = Object.entries(files).map(([path, b]) => ({ type: "file", path, size: b.length, oid: "x" }));
      return route.fulfill({ status: 200, headers: { ...cors, "content-type": "application/json" }, body: JSON.stringify(body) });
    }
    const prefix = [`/${repo}/resolve/main/`, `/${repo}/resolve/${FAKE_HUB_COMMIT}/`].find((p) => url.pathname.startsWith(p));
    const bytes = prefix ? files[decodeURIComponent(url.pathname.slice(prefix.length))] : undefined;
    if (!bytes) return route.fulfill({ status: 404, headers: cors, body: "not found" });
    if (opts.delayMs && url.pathname.endsWith(`/${opts.slowFile}`)) await new Promise((r) => setTimeout(r, opts.delayMs));
    const m = /bytes=(\d+)-(\d+)/.exec(request.headers()["range"] ?? "");
    const start = m ? Number(m[1]) : 0;
    const end = m ? Math.min(Number(m[2]), bytes.length - 1) : bytes.length - 1;
    return route.fulfill({
      status: m ? 206 : 200,
      headers: { ...cors, "content-range": `bytes ${start}-${end}/${bytes.length}`, "content-type": "application/octet-stream" },
      body: bytes.subarray(start, end + 1),
    });
  });
  return seen;
}
