// `npm run build:tiny-model`: builds the bundled tiny model into
// public/models/tiny/ with the project's own engine. The build
// (src/tiny/build_model.ts) runs in headless Chromium — WebGPU (SwiftShader on
// a machine without a GPU) for training and generation, Pyodide for the
// Python tool — loaded through a Vite dev server so the engine's WGSL imports
// resolve as in the app. Progress is printed as JSON lines; the files the page
// writes land in the output folder.
//
// Flags: --out DIR (default public/models/tiny), --set path=value (any number;
// overrides build_settings.json, e.g. --set sft.steps=5 for a trial run).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright";
import { createServer } from "vite";
import { chromiumArgs, findChromium } from "../src/cli/browser.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** "sft.steps=5" → { sft: { steps: 5 } } (numbers and booleans parsed, other values kept as text). */
function parseSet(specs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq <= 0) throw new Error(`--set takes path=value, got "${spec}"`);
    const path = spec.slice(0, eq).split(".");
    const raw = spec.slice(eq + 1);
    const value = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    let node = out;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = value;
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: "public/models/tiny" }, set: { type: "string", multiple: true, default: [] } }, strict: true });
  const out = resolve(values.out);
  const overrides = parseSet(values.set);
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const server = await createServer({
    root,
    configFile: join(root, "vite.config.ts"),
    logLevel: "error",
    clearScreen: false,
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false, ws: false },
    appType: "mpa",
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs(), headless: true });
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error("the build's local server did not report a URL");
    const page = await browser.newPage();
    page.on("pageerror", (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.exposeFunction("tapoLog", (json: string) => process.stdout.write(`${json}\n`));
    await page.exposeFunction("tapoWrite", (name: string, base64: string) => {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`refusing to write "${name}": not a plain file name`);
      writeFileSync(join(out, name), Buffer.from(base64, "base64"));
    });
    await page.goto(new URL("host.html", url).toString());
    const failure = await page.evaluate(
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      async ({ entry, overrides }) => {
        try {
          const build = (await import(/* @vite-ignore */ entry)) as typeof import("../src/tiny/build_model.ts");
          await build.buildTinyModel(navigator.gpu, build.pageIO(), overrides);
          return null;
        } catch (error) {
          return error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
        }
      },
      { entry: "/src/tiny/build_model.ts", overrides },
    );
    if (failure) throw new Error(failure);
    process.stdout.write(`${JSON.stringify({ event: "done", out, seconds: Math.round((performance.now() - t0) / 1000) })}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
