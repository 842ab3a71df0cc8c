// The one browser finder: locates a Chromium for the GPU tests, the end-to-end
// tests and the `tapo` command line, and names the flags it must start with.
// Order: $CHROME_PATH, then /usr/bin/chromium, then a Chromium that Playwright
// installed. Node-only (reads the file system).
import { existsSync } from "node:fs";
import { chromium } from "playwright";

/** Raised when no Chromium can be found; its message says how to get one. */
export class BrowserNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `no Chromium found (tried: ${tried.join(", ")}). ` +
        "Install one: on Debian or Ubuntu `apt-get install chromium`; elsewhere " +
        "`npx playwright install chromium`; or point CHROME_PATH at a Chrome or Chromium binary.",
    );
    this.name = "BrowserNotFoundError";
  }
}

/** Where Playwright would keep its own Chromium, or undefined if it has none. */
function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** The path of the Chromium to use; throws BrowserNotFoundError when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    tried.push(`CHROME_PATH=${fromEnv}`);
  }
  const system = "/usr/bin/chromium";
  if (existsSync(system)) return system;
  tried.push(system);
  const bundled = playwrightChromium();
  if (bundled && existsSync(bundled)) return bundled;
  tried.push("Playwright's Chromium");
  throw new BrowserNotFoundError(tried);
}

/**
 * Flags for every launch: WebGPU on (SwiftShader where there is no GPU), and
 * nothing that phones home, so the browser works on a closed network.
 */
export function chromiumArgs(): string[] {
  const args = [
    "--enable-unsafe-webgpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
  ];
  // Chromium refuses to start its sandbox as root (CI containers run as root).
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--no-sandbox");
  return args;
}

/** The finder's answer as Playwright launch options. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[]; headless: boolean } {
  return { executablePath: findChromium(), args: chromiumArgs(), headless: true };
}
