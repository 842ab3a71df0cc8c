// End-to-end: `npx tapo export` of the bundled tiny model with a random PEFT adapter, as a user runs it:
// --help, the GGUF (f32) and safetensors exports, and `tapo logprobs` on both giving the same log-probs as
// the base model with the adapter applied; bad --to, a dtype safetensors cannot hold, a missing --out, an
// --out that is a file and an adapter of another model each give one `error:` line and exit 1.
// Export itself runs on the CPU; the log-prob checks need Chromium (WebGPU via SwiftShader).
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { tapo } from "./tapo_cli";
import { parseQwen2Config } from "../src/model/config";
import { initLora } from "../src/model/lora";
import { savePeftAdapter } from "../src/model/peft";
import { randomSequences, tinyConfig } from "../src/model/testing";

test.describe.configure({ timeout: 240_000 });

const tiny = parseQwen2Config(JSON.parse(readFileSync("public/models/tiny/config.json", "utf8")));
const seqs = randomSequences(3, [7, 12], tiny.vocab);

function writeAdapter(dir: string, config = tiny): string {
  const out = join(dir, "adapter");
  mkdirSync(out, { recursive: true });
  const saved = savePeftAdapter(initLora(config, { r: 4, alpha: 8, targets: ["q", "v", "down"] }, 9, 0.2), { baseModel: "tiny" });
  writeFileSync(join(out, "adapter_config.json"), saved["adapter_config.json"]);
  writeFileSync(join(out, "adapter_model.safetensors"), saved["adapter_model.safetensors"]);
  return out;
}

async function logprobs(args: string[], input: string): Promise<number[][]> {
  const run = await tapo(["logprobs", ...args, "--quant", "none", "--input", input, "--json"]);
  expect(run.stderr).not.toContain("error:");
  expect(run.code).toBe(0);
  return run.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { logprobs: number[] }).logprobs);
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, t) => Math.abs(v - b[i]![t]!))));

test("tapo export --help lists its flags", async () => {
  const run = await tapo(["export", "--help"]);
  expect(run.code).toBe(0);
  for (const flag of ["--model M", "--adapter DIR", "--to safetensors|gguf", "--dtype f32|f16|q8_0|q4_0", "--out DIR", "--json"]) expect(run.stdout).toContain(flag);
});

test("the GGUF and safetensors exports give the adapted model's log-probs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tapo-export-"));
  const adapter = writeAdapter(dir);
  const input = join(dir, "inputs.jsonl");
  writeFileSync(input, seqs.map((s) => JSON.stringify({ input_ids: s })).join("\n"));
  for (const to of ["gguf", "safetensors"]) {
    const run = await tapo(["export", "--model", "tiny", "--adapter", adapter, "--to", to, "--out", join(dir, to), "--json"]);
    expect(run.stderr).not.toContain("error:");
    expect(run.code).toBe(0);
    const done = JSON.parse(run.stdout.trim().split("\n").pop()!) as { event: string; merged: { r: number } };
    expect(done.event).toBe("done");
    expect(done.merged.r).toBe(4);
  }
  const adapted = await logprobs(["--model", "tiny", "--adapter", adapter], input);
  const base = await logprobs(["--model", "tiny"], input);
  const fromGguf = await logprobs(["--model", join(dir, "gguf", "model.gguf")], input);
  const fromFolder = await logprobs(["--model", join(dir, "safetensors")], input);
  expect(maxDiff(fromGguf, fromFolder)).toBe(0);
  expect(maxDiff(fromFolder, adapted)).toBeLessThan(1e-4);
  expect(maxDiff(base, adapted)).toBeGreaterThan(1e-2);
});

test("bad arguments give one clear error line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tapo-export-bad-"));
  const file = join(dir, "a-file");
  writeFileSync(file, "x");
  const cases: [string[], RegExp][] = [
    [["--model", "tiny", "--to", "onnx", "--out", dir], /--to must be safetensors or gguf/],
    [["--model", "tiny", "--to", "safetensors", "--dtype", "q4_0", "--out", dir], /cannot hold --dtype q4_0/],
    [["--model", "tiny", "--to", "gguf"], /needs --out/],
    [["--model", "tiny", "--to", "gguf", "--out", file], /is a file/],
    [["--model", "tiny", "--adapter", writeAdapter(dir, tinyConfig()), "--to", "gguf", "--out", dir], /different base model|do not belong together/],
  ];
  for (const [args, message] of cases) {
    const run = await tapo(["export", ...args]);
    expect(run.code, args.join(" ")).toBe(1);
    expect(run.stderr.split("\n")[0]).toMatch(/^error: /);
    expect(run.stderr).toMatch(message);
  }
});
