// Checks the import rules of scripts/lint/layers.mjs through ESLint with the project's own config: an
// upward import, an import between folders of one layer, an import cycle and a test helper imported by
// product code all fail lint, while downward imports and tests pass; and the README's map and the tree
// agree with LAYERS (every src/ folder placed, every row's layer the rule's). Node, no GPU.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { LAYERS, placeOf } from "./layers.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

/** The tapo/* messages ESLint gives `code` as if it were the file at `file` (relative to the root). */
async function tapoMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId?.startsWith("tapo/")).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("tapo/layers", () => {
  it("fails an import from a higher layer, naming both folders", async () => {
    const messages = await tapoMessages("src/model/upward_probe.ts", 'import { evaluate } from "../rl/evaluate";\nexport const probe = evaluate;\n');
    expect(messages).toEqual([expect.stringMatching(/^tapo\/layers: src\/model may not import src\/rl \(src\/rl\/evaluate\.ts\), which is 4 layer\(s\) above it/)]);
  });

  it("fails an import between two folders of one layer", async () => {
    const messages = await tapoMessages("src/gpu/peer_probe.ts", 'import type { Task } from "../tasks/builtin";\nexport type Probe = Task;\n');
    expect(messages).toEqual([expect.stringMatching(/^tapo\/layers: src\/gpu may not import src\/tasks .*which shares its layer/)]);
  });

  it("fails product code that imports a test helper, and lets tests import from any layer", async () => {
    expect(await tapoMessages("src/rl/helper_probe.ts", 'export { tinyConfig } from "../model/testing";\n')).toEqual([
      expect.stringMatching(/^tapo\/layers: src\/rl\/helper_probe\.ts is product code and imports the test helper src\/model\/testing\.ts/),
    ]);
    expect(await tapoMessages("src/model/upward_probe.test.ts", 'import { evaluate } from "../rl/evaluate";\nexport const probe = evaluate;\n')).toEqual([]);
  });

  it("sees type-only import() types and new URL(…, import.meta.url) references too", async () => {
    expect(await tapoMessages("src/model/type_probe.ts", 'export type Probe = typeof import("../rl/evaluate");\n')).toEqual([
      expect.stringMatching(/^tapo\/layers: src\/model may not import src\/rl/),
    ]);
    expect(await tapoMessages("src/trainer/url_probe.ts", 'export const probe = new URL("../../workers/trainer.worker.ts", import.meta.url);\n')).toEqual([
      expect.stringMatching(/^tapo\/layers: src\/trainer may not import workers/),
    ]);
  });

  it("passes imports of lower layers and of the file's own folder, dynamic ones included", async () => {
    const code = 'import { DEFAULT_LORA } from "../protocol/lora";\nimport { dapoStep } from "./train_step";\nexport const probe = [DEFAULT_LORA, dapoStep, () => import("../model/lora")];\n';
    expect(await tapoMessages("src/rl/down_probe.ts", code)).toEqual([]);
  });
});

describe("tapo/no-import-cycle", () => {
  it("fails a file whose import leads back to it, with the whole circle", async () => {
    // segments.ts imports formats.ts; formats.ts importing segments.ts would close a circle.
    const formats = readFileSync(path.join(root, "src/rollout/formats.ts"), "utf8");
    const messages = await tapoMessages("src/rollout/formats.ts", `import "./segments";\n${formats}`);
    expect(messages).toEqual(["tapo/no-import-cycle: import cycle: src/rollout/formats.ts → src/rollout/segments.ts → src/rollout/formats.ts; move what both sides need into a file both import"]);
  });

  it("passes the file as it is", async () => {
    expect(await tapoMessages("src/rollout/formats.ts", readFileSync(path.join(root, "src/rollout/formats.ts"), "utf8"))).toEqual([]);
  });
});

describe("LAYERS and the README", () => {
  it("places every folder and file at the top of src/ (and each folder of src/cli/) in a layer", () => {
    const entries = readdirSync(path.join(root, "src"), { withFileTypes: true }).filter((e) => e.isDirectory() || /\.tsx?$/.test(e.name));
    const names = entries.flatMap((e) => (e.name === "cli" ? readdirSync(path.join(root, "src/cli")).map((n) => `cli/${n}`) : [e.name]));
    const unplaced = names.filter((n) => placeOf(path.join(root, "src", n))?.folder !== `src/${n}`);
    expect(unplaced).toEqual([]);
  });

  it("lists every layer's folders in the README's map, at the layer the rule gives them", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const map = readme.slice(readme.indexOf("## Map"), readme.indexOf("### Layers"));
    const rows = [...map.matchAll(/^\| (\d+) \| (.+?) \| .+ \|$/gm)].flatMap((m) =>
      [...m[2]!.matchAll(/`([^`]+)`/g)].map((f) => `${m[1]} ${f[1]!.replace(/\/$/, "")}`),
    );
    const expected = LAYERS.flatMap((folders, layer) => folders.map((f) => `${layer} ${f}`));
    expect(rows.sort()).toEqual(expected.sort());
  });
});
