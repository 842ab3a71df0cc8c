// `npm test`: lint, typecheck, unit tests (Node), GPU tests (headless Chromium
// with WebGPU), end-to-end tests (Playwright against the build) and the
// learning benchmark (DAPO on the bundled tiny model must raise its held-out
// accuracy, `npm run bench:learning`), in turn, stopping at the first
// failure. Ends with one count of every test that ran, per kind and in total,
// read from the runners' JSON reports.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { BrowserNotFoundError, findChromium } from "../src/cli/node/browser.ts";

type Counts = { passed: number; failed: number; skipped: number };

const REPORTS = ".reports";

const steps: { script: string; report?: string; needsBrowser?: boolean; read?: (json: unknown) => Counts }[] = [
  { script: "lint" },
  { script: "typecheck" },
  { script: "test:unit", report: `${REPORTS}/vitest-unit.json`, read: vitestCounts },
  { script: "test:gpu", report: `${REPORTS}/vitest-gpu.json`, needsBrowser: true, read: vitestCounts },
  { script: "test:e2e", report: `${REPORTS}/playwright.json`, needsBrowser: true, read: playwrightCounts },
  { script: "bench:learning", report: `${REPORTS}/learning.json`, needsBrowser: true, read: learningCounts },
];

function vitestCounts(json: unknown): Counts {
  const r = json as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts(json: unknown): Counts {
  const s = (json as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
}

/** The learning benchmark counts as one test: its bar met or not (scripts/bench-learning.ts). */
function learningCounts(json: unknown): Counts {
  const r = json as { passed: number; failed: number };
  return { passed: r.passed, failed: r.failed, skipped: 0 };
}

function main(): number {
  rmSync(REPORTS, { recursive: true, force: true });
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  for (const step of steps) {
    if (step.needsBrowser) {
      try {
        findChromium();
      } catch (error) {
        if (error instanceof BrowserNotFoundError) {
          console.error(`error: ${error.message}`);
          return 1;
        }
        throw error;
      }
    }
    console.log(`\n=== npm run ${step.script}`);
    const run = spawnSync("npm", ["run", "--silent", step.script], { stdio: "inherit" });
    const ok = run.status === 0;
    if (step.report && step.read) {
      if (!existsSync(step.report)) {
        console.error(`error: ${step.script} wrote no report at ${step.report}; it may have crashed before running tests`);
        return 1;
      }
      const counts = step.read(JSON.parse(readFileSync(step.report, "utf8")));
      lines.push(`${step.script}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      if (counts.passed + counts.failed === 0) {
        console.error(`error: ${step.script} ran no test`);
        return 1;
      }
    }
    if (!ok) {
      console.error(`error: npm run ${step.script} failed (exit ${run.status ?? run.signal})`);
      for (const line of lines) console.log(line);
      return run.status ?? 1;
    }
  }
  console.log("");
  for (const line of lines) console.log(line);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals.failed === 0 ? 0 : 1;
}

process.exit(main());
