// Runs the `tapo` command line as a user would (node bin/tapo.mjs …) for the CLI end-to-end tests.
import { execFile } from "node:child_process";

export type CliRun = { code: number; stdout: string; stderr: string };

export function tapo(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile("node", ["bin/tapo.mjs", ...args], { maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
