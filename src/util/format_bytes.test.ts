// Checks the byte formatting used by memory plans and the UI. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { formatBytes } from "./format_bytes";

describe("formatBytes", () => {
  it("uses the largest binary unit that keeps the value at least 1", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(32768)).toBe("32 KiB");
    expect(formatBytes(134217728)).toBe("128 MiB");
    expect(formatBytes(1073741824)).toBe("1 GiB");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(4294967292)).toBe("4.00 GiB");
  });
});
