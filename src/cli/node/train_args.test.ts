// Checks how `tapo train` reads a run saved in --out before the engine starts: the quantization of its newest
// readable checkpoint (a half-written newer one is passed over), and none without checkpoints. Node, no GPU.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { savedRunQuant } from "./train_args";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function checkpoint(out: string, step: number, state: string): void {
  const dir = join(out, "checkpoints", `step-${String(step).padStart(6, "0")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "state.json"), state);
}

describe("savedRunQuant", () => {
  it("reads the newest readable checkpoint's quantization, and nothing without checkpoints", () => {
    const out = mkdtempSync(join(tmpdir(), "tapo-out-"));
    dirs.push(out);
    expect(savedRunQuant(out)).toBeUndefined();
    checkpoint(out, 1, JSON.stringify({ v: 1, step: 1, modelIdentity: { quant: "q8_0" } }));
    checkpoint(out, 2, JSON.stringify({ v: 1, step: 2, modelIdentity: { quant: "q4_0" } }));
    expect(savedRunQuant(out)).toBe("q4_0");
    checkpoint(out, 3, '{"v": 1, "step": 3, "modelIdent'); // being written when the process died
    expect(savedRunQuant(out)).toBe("q4_0");
    checkpoint(out, 4, JSON.stringify({ v: 1, step: 4 })); // from before identities were recorded
    expect(savedRunQuant(out)).toBe("q4_0");
  });
});
