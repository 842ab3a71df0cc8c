// Checks `tapo export`'s file handling in Node (no GPU): --out created when
// missing, refused when it is a file or cannot be created; a folder or one file
// read as a FileSet by range; a missing --model named in the error.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ExportError } from "./errors";
import { diskFileSet, prepareOutDir, writeFiles } from "./node_files";

const dir = mkdtempSync(join(tmpdir(), "tapo-export-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("export's files on disk", () => {
  it("creates a missing --out folder and writes into it", () => {
    const out = prepareOutDir(join(dir, "a", "b"));
    expect(statSync(out).isDirectory()).toBe(true);
    const written = writeFiles(out, new Map([["x.bin", new Uint8Array([1, 2, 3])]]));
    expect(written).toEqual([{ path: join(out, "x.bin"), bytes: 3 }]);
    expect([...readFileSync(join(out, "x.bin"))]).toEqual([1, 2, 3]);
  });

  it("refuses an --out that is a file, or that cannot be made a folder", () => {
    const file = join(dir, "file");
    writeFileSync(file, "x");
    expect(() => prepareOutDir(file)).toThrow(ExportError);
    expect(() => prepareOutDir(file)).toThrow(/is a file/);
    expect(() => prepareOutDir(join(file, "below"))).toThrow(/is not a writable folder/);
    expect(existsSync(join(file, "below"))).toBe(false);
  });

  it("reads a folder's files and one file by range, and names a missing path", async () => {
    writeFileSync(join(dir, "data.bin"), new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]));
    const folder = diskFileSet(dir, "--model");
    expect(folder.list()).toContain("data.bin");
    expect([...(await folder.get("data.bin")!.read(2, 3))]).toEqual([2, 3, 4]);
    const one = diskFileSet(join(dir, "data.bin"), "--model");
    expect(one.list()).toEqual(["data.bin"]);
    await expect(one.get("data.bin")!.read(6, 4)).rejects.toThrow(/truncated/);
    expect(() => diskFileSet(join(dir, "nope"), "--model")).toThrow(/--model .*nope: no such file or folder/);
  });
});
