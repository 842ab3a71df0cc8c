// `tapo`: the headless command line (DESIGN.md's contract). Runs the engine in
// headless Chromium by default, or under Node + Dawn with `--runtime node`.
// With --json, stdout is one JSON object per line; on failure the exit code is
// non-zero and stderr has one line starting `error:`.
import { parseArgs } from "node:util";
import type { WeightFormat } from "../quant/weights.ts";
import type { EngineCommand } from "./engine.ts";
import { runInBrowser, runInNode } from "./host.ts";

const USAGE = `usage: tapo bench [--model M] [--quant none|q8_0|q4_0] [--runtime browser|node] [--json]`;

function parseQuant(q: string): WeightFormat {
  if (q === "none" || q === "f32") return "f32";
  if (q === "q8_0" || q === "q4_0") return q;
  throw new Error(`--quant must be none, q8_0 or q4_0, got "${q}"`);
}

function format(record: Record<string, unknown>): string {
  if (record.event === "bench") {
    const v = record.value as number;
    return `${String(record.name).padEnd(34)} ${v.toPrecision(4).padStart(10)} ${record.unit}${record.note ? `  (${record.note})` : ""}`;
  }
  return JSON.stringify(record);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== "bench") throw new Error(name ? `unknown command "${name}". ${USAGE}` : USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      model: { type: "string", default: "Qwen/Qwen2.5-0.5B" },
      quant: { type: "string", default: "q4_0" },
      runtime: { type: "string", default: "browser" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const command: EngineCommand = { name: "bench", model: values.model, quant: parseQuant(values.quant) };
  const emit = (record: Record<string, unknown>) => {
    process.stdout.write(`${values.json ? JSON.stringify(record) : format(record)}\n`);
  };
  if (values.runtime === "node") await runInNode(command, emit);
  else if (values.runtime === "browser") await runInBrowser(command, emit);
  else throw new Error(`--runtime must be browser or node, got "${values.runtime}"`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message.split("\n")[0]}\n`);
    process.exit(1);
  },
);
