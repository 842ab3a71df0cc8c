// Vitest: two projects. `unit` runs *.test.ts in Node; `gpu` runs *.gpu.test.ts
// (and browser-only component tests, *.browser.test.tsx) in headless Chromium with WebGPU, found by the one browser finder.
import { playwright } from "@vitest/browser-playwright";
import { defineConfig, mergeConfig } from "vitest/config";
import { chromiumArgs, findChromium } from "./src/cli/node/browser.ts";
import { listenerCommands } from "./src/tools/python/listener_commands.ts";
import viteConfig from "./vite.config.ts";

const reportDir = ".reports";

/** The gpu project needs a browser; resolve it only when that project is asked for. */
function gpuBrowser() {
  return playwright({
    launchOptions: { executablePath: findChromium(), args: chromiumArgs() },
  });
}

/** True unless this run asked for the unit project alone (which must not need a browser). */
function wantsGpuProject(argv: string[]): boolean {
  const i = argv.indexOf("--project");
  return !(i >= 0 && argv[i + 1] === "unit");
}
const wantsGpu = wantsGpuProject(process.argv);

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Browser tests reach these only through modules loaded midway (Parquet import, the recipe and adapter zips); found
    // then, Vite bundles them and reloads the page under a running test ("Vite unexpectedly reloaded a test").
    optimizeDeps: { include: ["hyparquet", "hyparquet-writer", "fflate"] },
    test: {
      reporters: ["default", "json"],
      outputFile: { json: `${reportDir}/vitest-${wantsGpu ? "gpu" : "unit"}.json` },
      projects: [
        {
          extends: true,
          test: {
            name: "unit",
            environment: "node",
            // Some loaders quantize whole tiny models on the CPU; on a busy 2-core machine 5 s is not enough.
            testTimeout: 30_000,
            include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
            exclude: ["src/**/*.gpu.test.ts", "src/**/*.browser.test.tsx"],
          },
        },
        {
          extends: true,
          test: {
            name: "gpu",
            include: ["src/**/*.gpu.test.ts", "src/**/*.browser.test.tsx"],
            // SwiftShader runs shaders on the CPU: give kernels room.
            testTimeout: 120_000,
            browser: wantsGpu
              ? {
                  enabled: true,
                  headless: true,
                  provider: gpuBrowser(),
                  instances: [{ browser: "chromium" }],
                  // A listener on 127.0.0.1 for the Python sandbox's isolation tests.
                  commands: listenerCommands,
                }
              : undefined,
          },
        },
      ],
    },
  }),
);
