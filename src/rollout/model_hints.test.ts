// Checks tapo.json hints: absent gives none, a known format, tool-call limit, search hits per query and task level are read, bad files are refused with the reason (Node, no GPU).
import { describe, expect, it } from "vitest";
import { bytesSource, fileSet } from "../io/source";
import { readModelHints } from "./model_hints";

const folder = (text?: string) => fileSet("m", text === undefined ? [] : [bytesSource("tapo.json", new TextEncoder().encode(text))]);

describe("readModelHints", () => {
  it("reads the format a model folder asks for", async () => {
    expect(await readModelHints(folder())).toEqual({});
    expect(await readModelHints(folder('{"format":"search-r1"}'))).toEqual({ format: "search-r1" });
    expect(await readModelHints(folder("{}"))).toEqual({});
    expect(await readModelHints(folder('{"format":"tiny","maxTurns":2,"searchTopK":1}'))).toEqual({ format: "tiny", maxTurns: 2, searchTopK: 1 });
    expect(await readModelHints(folder('{"taskLevel":"tiny"}'))).toEqual({ taskLevel: "tiny" });
  });

  it("refuses an unknown format or a file that is not an object", async () => {
    await expect(readModelHints(folder('{"format":"tapoo"}'))).rejects.toThrow(/names format "tapoo"; known: tapo/);
    await expect(readModelHints(folder("[1]"))).rejects.toThrow(/must hold a JSON object/);
    await expect(readModelHints(folder('{"maxTurns":0}'))).rejects.toThrow(/maxTurns 0; it must be a whole number ≥ 1/);
    await expect(readModelHints(folder('{"searchTopK":1.5}'))).rejects.toThrow(/searchTopK 1.5; it must be a whole number ≥ 1/);
    await expect(readModelHints(folder('{"taskLevel":"easy"}'))).rejects.toThrow(/names taskLevel "easy"; known: full, tiny/);
  });
});
