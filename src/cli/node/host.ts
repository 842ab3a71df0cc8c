// Hosts for the headless engine. Both load src/cli/engine/engine.ts through a Vite
// dev server so the engine's WGSL imports resolve exactly as in the app:
//   browser: headless Chromium (the one browser finder) opens host.html on a
//            free localhost port and runs the command in the page;
//   node:    Vite's SSR loader runs it in this process on the `webgpu`
//            package (Dawn), which is how GPU servers without a browser run it.
// The command's file server (file_server.ts) answers cross-origin requests only
// from origins it was told of: runInBrowser tells it the page's origin.
import { fileURLToPath } from "node:url";
import { chromium } from "playwright";
import { createServer, type ViteDevServer } from "vite";
import { chromiumArgs, findChromium } from "./browser.ts";
import type { EngineCommand } from "../engine/engine.ts";
import type { Emit } from "../../protocol/emit.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));

async function startVite(middlewareMode: boolean): Promise<ViteDevServer> {
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: "error",
    clearScreen: false,
    server: middlewareMode
      ? { middlewareMode: true, hmr: false, ws: false }
      : { host: "127.0.0.1", port: 0, strictPort: false, hmr: false, ws: false },
    appType: middlewareMode ? "custom" : "mpa",
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  if (!middlewareMode) await server.listen();
  return server;
}

/** What the host tells the command's file server: the origin of the page the engine runs in. */
export type OriginGate = { allowOrigin(origin: string): void };

/** Runs a command in headless Chromium; records go to `emit`; `files` learns the page's origin before it loads. */
export async function runInBrowser(command: EngineCommand, emit: Emit, files?: OriginGate): Promise<void> {
  const executablePath = findChromium();
  const server = await startVite(false);
  const browser = await chromium.launch({ executablePath, args: chromiumArgs(), headless: true });
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error("the engine's local server did not report a URL");
    files?.allowOrigin(new URL(url).origin);
    const page = await browser.newPage();
    await page.exposeFunction("tapoEmit", (json: string) => emit(JSON.parse(json) as Record<string, unknown>));
    await page.goto(new URL("host.html", url).toString());
    const failure = await page.evaluate(async ({ cmd, entry }) => {
      try {
        const engine = (await import(/* @vite-ignore */ entry)) as typeof import("../engine/engine.ts");
        const w = window as unknown as { tapoEmit: (json: string) => Promise<void> };
        const pending: Promise<void>[] = [];
        await engine.runEngineCommand(cmd, (r) => void pending.push(w.tapoEmit(JSON.stringify(r))), navigator.gpu);
        await Promise.all(pending);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }, { cmd: command, entry: "/src/cli/engine/engine.ts" });
    if (failure) throw new Error(failure);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Runs a command in this Node process on Dawn (the `webgpu` package); its requests carry no Origin, so `_files` has nothing to learn. */
export async function runInNode(command: EngineCommand, emit: Emit, _files?: OriginGate): Promise<void> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const server = await startVite(true);
  try {
    const engine = (await server.ssrLoadModule("/src/cli/engine/engine.ts")) as typeof import("../engine/engine.ts");
    await engine.runEngineCommand(command, emit, gpu);
  } finally {
    await server.close();
  }
}
