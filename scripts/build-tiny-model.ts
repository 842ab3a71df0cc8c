// `npm run build:tiny-model`: builds the bundled tiny model into
// public/models/tiny/ in three stages, deterministic given
// src/tiny/build_settings.json:
//   1. Node: a stream of fresh demonstrations of tiny-level tasks (real search
//      responses), the tokenizer learned from them, SFT examples written as
//      JSON lines (src/tiny/native_inputs.ts);
//   2. the native trainer, scripts/tiny_sft.py (PyTorch on the CPU, Debian's
//      python3-torch), trains every parameter on them: on two cores it is
//      ~20× faster than the engine's SFT on SwiftShader, and the golden test
//      (src/sft/sft_golden.gpu.test.ts) keeps the two computing the same steps;
//   3. headless Chromium (WebGPU, Pyodide): the Python responses are checked
//      against the real tool, the folder loads through the engine's loader with
//      the native held-out loss reproduced within 1e-4, and the test split is
//      rolled out greedy and sampled (src/tiny/build_model.ts).
// Progress is printed as JSON lines. The folder and tapo_build.json land in --out.
//
// Flags: --out DIR (default public/models/tiny), --work DIR (default a temporary folder, removed at
// the end), --set path=value (any number; overrides build_settings.json, e.g. --set sft.steps=20).
// TAPO_PYTHON names a Python with torch when neither python3 nor /usr/bin/python3 has it.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright";
import { createServer } from "vite";
import { chromiumArgs, findChromium } from "../src/cli/node/browser.ts";
import { readSafetensorsHeader, readRowsF32, tensorRowsCols } from "../src/formats/safetensors.ts";
import { bytesSource } from "../src/io/source.ts";
import { parameterCount, type Qwen2Config, validateConfig } from "../src/model/config.ts";
import { mergeSettings, settingsJson, type BuildSettings } from "../src/tiny/build_settings.ts";
import { tinyHints, tinyModelFiles } from "../src/tiny/model_files.ts";
import { writeNativeInputs } from "../src/tiny/native_inputs.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const log = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);

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

/** The Qwen2 shape of the settings. */
function tinyModelConfig(s: BuildSettings): Qwen2Config {
  const m = s.model;
  const config: Qwen2Config = {
    hidden: m.hidden, intermediate: m.intermediate, layers: m.layers, heads: m.heads, kvHeads: m.kvHeads, headDim: m.headDim,
    vocab: s.tokenizer.vocabSize, rmsEps: m.rmsEps, ropeTheta: m.ropeTheta, tieEmbeddings: m.tieEmbeddings, maxPositions: m.maxPositions,
  };
  validateConfig(config);
  return config;
}

/** Loss-curve points kept in tapo_build.json: one every this many steps. */
const CURVE_EVERY = 10;

/** The record as indented JSON, with each [step, loss] pair on one line. */
function recordJson(record: unknown): string {
  return JSON.stringify(record, null, 2).replace(/\[\s+(-?[\d.e+-]+),\s+(-?[\d.e+-]+)\s+\]/g, "[$1, $2]");
}

/** A Python that can import torch: TAPO_PYTHON, python3, or Debian's /usr/bin/python3. */
function findTorchPython(): string {
  const candidates = [process.env.TAPO_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  for (const c of candidates) if (spawnSync(c, ["-c", "import torch"], { stdio: "ignore" }).status === 0) return c;
  throw new Error(`no Python with PyTorch found (tried ${candidates.join(", ")}): on Debian or Ubuntu, apt-get install python3-torch; elsewhere pip install torch, or set TAPO_PYTHON`);
}

/** Runs the native trainer, passing its JSON lines through as progress. */
function trainNative(python: string, work: string, s: BuildSettings): Promise<void> {
  const args = ["scripts/tiny_sft.py", "--config", join(work, "native_config.json"), "--train", join(work, "train.jsonl"), "--held-out", join(work, "held_out.jsonl"), "--out", join(work, "native"), "--threads", String(s.sft.threads), "--log-every", "10"];
  if (s.init.from) args.push("--init", s.init.from);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`scripts/tiny_sft.py exited with ${code}`))));
  });
}

/** The native weights as the engine's folder (tensors under their Hugging Face names, in checkpoint order). */
async function stageFolder(s: BuildSettings, config: Qwen2Config, work: string): Promise<Map<string, Uint8Array>> {
  const src = bytesSource("model.safetensors", new Uint8Array(readFileSync(join(work, "native", "model.safetensors"))));
  const header = await readSafetensorsHeader(src);
  const params = new Map<string, Float32Array>();
  for (const [name, info] of header.tensors) params.set(name, await readRowsF32(src, info, 0, tensorRowsCols(info)[0]));
  const read = (name: string) => JSON.parse(readFileSync(join(work, name), "utf8")) as Record<string, unknown>;
  const record = read("tokenizer_record.json") as { merges: number; ids_used: number };
  const tokenizer = { tokenizerJson: read("tokenizer.json"), tokenizerConfig: read("tokenizer_config.json"), merges: record.merges, idsUsed: record.ids_used };
  const files = tinyModelFiles(config, tokenizer, params, s.dtype as "F32", tinyHints(s));
  for (const [name, bytes] of files) writeFileSync(join(work, name), bytes);
  return files;
}

/** Stage 3 in headless Chromium through a Vite dev server (the engine's WGSL imports resolve as in the app). */
async function verifyInPage(s: BuildSettings, work: string, nativeHeldOutLoss: number): Promise<Record<string, unknown>> {
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
    await page.exposeFunction("tapoRead", (name: string) => {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`refusing to read "${name}": not a plain file name`);
      return readFileSync(join(work, name)).toString("base64");
    });
    await page.goto(new URL("host.html", url).toString());
    const result = await page.evaluate(
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      async ({ entry, settings, loss }) => {
        try {
          const build = (await import(/* @vite-ignore */ entry)) as typeof import("../src/tiny/build_model.ts");
          return { ok: await build.verifyTinyBuild(navigator.gpu, build.pageIO(), settings, loss) };
        } catch (error) {
          return { error: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error) };
        }
      },
      { entry: "/src/tiny/build_model.ts", settings: s, loss: nativeHeldOutLoss },
    );
    if ("error" in result) throw new Error(result.error);
    return result.ok as Record<string, unknown>;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: "public/models/tiny" }, work: { type: "string" }, set: { type: "string", multiple: true, default: [] } }, strict: true });
  const out = resolve(values.out);
  const s = mergeSettings(settingsJson, parseSet(values.set));
  const config = tinyModelConfig(s);
  const python = findTorchPython();
  const work = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), "tapo-tiny-build-"));
  const t0 = performance.now();
  try {
    const inputs = await writeNativeInputs(s, work, log);
    const tNative = performance.now();
    await trainNative(python, work, s);
    const nativeSeconds = Math.round((performance.now() - tNative) / 1000);
    const native = JSON.parse(readFileSync(join(work, "native", "native_sft.json"), "utf8")) as Record<string, unknown> & { held_out_loss_after: number; curve: [number, number, number][] };
    const files = await stageFolder(s, config, work);
    const verified = await verifyInPage(s, work, native.held_out_loss_after);
    const curve = native.curve;
    const last = curve.slice(-20);
    const record = {
      built_by: "npm run build:tiny-model (scripts/build-tiny-model.ts: src/tiny/native_inputs.ts, scripts/tiny_sft.py, src/tiny/build_model.ts)",
      settings: s,
      init: s.init.from ? { from: s.init.from } : "random weights",
      model: { ...config, parameters: parameterCount(config) },
      tokenizer: { vocab_size: s.tokenizer.vocabSize, ids_used: inputs.tokenizer.idsUsed, merges: inputs.tokenizer.merges },
      demonstrations: { examples: inputs.trainExamples, held_out: inputs.heldOutExamples, tokens: inputs.trainTokens, policy_tokens: inputs.policyTokens, styles: inputs.styles, skipped: inputs.skipped },
      sft: {
        trainer: "scripts/tiny_sft.py",
        native: { ...native, curve: undefined },
        steps: curve.length,
        first_loss: curve[0]?.[1],
        final_loss: last.reduce((a, p) => a + p[1], 0) / Math.max(1, last.length),
        held_out_loss_before: native.held_out_loss_before,
        held_out_loss_after: native.held_out_loss_after,
        engine_held_out_loss: verified.engine_held_out_loss,
        curve_every: CURVE_EVERY,
        // [step, loss] every CURVE_EVERY steps and the last one (the native trainer's log has them all).
        curve: curve.filter((_, i) => i % CURVE_EVERY === 0 || i === curve.length - 1).map((p) => [p[0], p[1]]),
      },
      ...verified,
      timing: { total_seconds: Math.round((performance.now() - t0) / 1000), native_seconds: nativeSeconds },
    };
    mkdirSync(out, { recursive: true });
    for (const name of files.keys()) copyFileSync(join(work, name), join(out, name));
    writeFileSync(join(out, "tapo_build.json"), `${recordJson(record)}\n`);
    log({ event: "done", out, seconds: record.timing.total_seconds });
  } finally {
    if (!values.work) rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
