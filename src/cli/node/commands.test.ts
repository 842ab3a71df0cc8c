// Checks the command line's help and flag parsing: `tapo --help` and `tapo <command> --help` print every flag with
// its default and exit 0, `tapo` alone and an unknown command print the overview after one error line, a flag a
// command does not take or a missing required flag is named, and left-out flags take the defaults the help shows.
// Spawns the real `bin/tapo.mjs` (no browser starts for these). Node, no GPU.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS, commandHelp, isCommand, parseCommandArgs } from "./commands";

/** Each spawn starts Node and tsx (a few seconds on a busy 2-core machine): generous limits, no speed asserted. */
const SPAWNS = 240_000;
const bin = fileURLToPath(new URL("../../../bin/tapo.mjs", import.meta.url));

function tapo(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("tapo help", () => {
  it("tapo --help lists every command and exits 0; tapo alone and an unknown command say so and show the same list", () => {
    const help = tapo("--help");
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    const bare = tapo();
    expect(bare.code).toBe(1);
    expect(bare.stderr.split("\n")[0]).toBe("error: say which command to run");
    expect(bare.stderr).toContain(help.stdout.trim());
    const unknown = tapo("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split("\n")[0]).toBe('error: unknown command "frobnicate"');
  }, SPAWNS);

  it("each command's --help lists each of its flags with its default, and exits 0", () => {
    for (const name of Object.keys(COMMANDS)) {
      if (!isCommand(name)) throw new Error(name);
      const out = tapo(name, "--help");
      expect(out.code, name).toBe(0);
      expect(out.stdout.trim()).toBe(commandHelp(name));
      for (const [flag, spec] of Object.entries(COMMANDS[name].flags)) {
        const line = out.stdout.split("\n").find((l) => l.startsWith(`  --${flag} `) || l === `  --${flag}`);
        expect(line, `${name} --${flag}`).toBeDefined();
        if (spec.default !== undefined) expect(line, `${name} --${flag}`).toContain(`(default ${spec.default})`);
        if (spec.required) expect(line, `${name} --${flag}`).toContain("(required)");
      }
    }
    expect(tapo("eval", "-h").stdout).toMatch(/--n N +held-out tasks to evaluate .*\(default 64\)/);
  }, SPAWNS);

  it("names a flag the command does not take, a stray argument and a missing required flag", () => {
    const stray = tapo("eval", "--steps", "3", "--model", "tiny", "--task", "tiny");
    expect(stray.code).toBe(1);
    expect(stray.stderr.trim()).toBe("error: tapo eval takes no flag --steps: tapo eval --help lists its flags");
    expect(() => parseCommandArgs("train", ["--model", "tiny", "tiny"])).toThrow('tapo train takes no argument "tiny" (flags start with --)');
    expect(() => parseCommandArgs("sft", ["--model", "tiny", "--out", "x"])).toThrow(/^tapo sft needs --traces F\.jsonl: Trace v1 lines/);
    expect(() => parseCommandArgs("train", ["--model", "tiny", "--task"])).toThrow(/--task.*tapo train --help lists the flags/);
  }, SPAWNS);

  it("fills left-out flags with the defaults the help shows, and keeps the given ones", () => {
    const { values } = parseCommandArgs("train", ["--model", "tiny", "--task", "tiny", "--steps", "3"]);
    expect(values).toMatchObject({ model: "tiny", task: "tiny", steps: "3", seed: "1", "eval-n": "32", "checkpoint-every": "1", runtime: "browser" });
    expect(values.quant).toBeUndefined(); // depends on the model: the help says so instead of a fixed value
    expect(parseCommandArgs("bench", []).values).toMatchObject({ model: "Qwen/Qwen2.5-0.5B", quant: "q4_0" });
  });

  it("says a --model path that does not exist is missing, instead of taking it for a hub id", () => {
    const out = tapo("eval", "--model", "./no-such-folder", "--task", "tiny");
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toMatch(/^error: --model \.\/no-such-folder: no such file or folder \(\/.*no-such-folder\)$/);
  }, SPAWNS);
});
