// Checks the Python tool's response formatting (Node, no GPU): middle cuts with exact counts, the empty-stdout warning, errors kept whole after capped stdout, timeout wording.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { CappedText } from "./capture.ts";
import {
  cutMarker,
  EMPTY_STDOUT_WARNING,
  formatResponse,
  renderCapped,
  timeoutMessage,
  truncateMiddle,
} from "./format.ts";

describe("truncateMiddle", () => {
  it("leaves short text alone and cuts long text in the middle with the count", () => {
    expect(truncateMiddle("short", 10)).toBe("short");
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const n = 100 + Math.floor(rand() * 1000);
    const text = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    const budget = 10 + Math.floor(rand() * 80);
    const out = truncateMiddle(text, budget);
    const head = Math.ceil(budget / 2);
    expect(out, `seed ${seed}`).toBe(text.slice(0, head) + cutMarker(n - budget) + text.slice(n - (budget - head)));
  });
});

describe("renderCapped", () => {
  it("adds what the capture already dropped to the count", () => {
    const c = new CappedText(5, 5);
    c.pushText("0123456789abcdefghij");
    expect(renderCapped(c.result(), 10)).toBe(`01234${cutMarker(10)}fghij`);
    expect(renderCapped(c.result(), 4)).toBe(`01${cutMarker(16)}ij`);
  });
});

describe("formatResponse", () => {
  const captured = (text: string) => {
    const c = new CappedText(1000, 1000);
    c.pushText(text);
    return c.result();
  };

  it("returns stdout as printed, or the warning when nothing was printed", () => {
    expect(formatResponse({ stdout: captured("42\n") }, 2000)).toBe("42\n");
    expect(formatResponse({ stdout: captured("") }, 2000)).toBe(EMPTY_STDOUT_WARNING);
  });

  it("puts the error after stdout and keeps the error's end when the cap is tight", () => {
    expect(formatResponse({ stdout: captured("partial"), errorText: "ValueError: bad" }, 2000)).toBe(
      "partial\nValueError: bad",
    );
    expect(formatResponse({ stdout: captured(""), errorText: "ValueError: bad" }, 2000)).toBe("ValueError: bad");
    const longOut = "o".repeat(1900);
    const error = `Traceback (most recent call last):\n${"  x\n".repeat(20)}KeyError: 'k'`;
    const out = formatResponse({ stdout: captured(longOut), errorText: error }, 500);
    expect(out.endsWith(error)).toBe(true);
    expect(out).toContain(cutMarker(1900 - (500 - error.length - 1)));
  });
});

describe("timeoutMessage", () => {
  it("names the limit in seconds", () => {
    expect(timeoutMessage(2000)).toMatch(/^Execution timed out after 2 s/);
    expect(timeoutMessage(1500)).toMatch(/^Execution timed out after 1\.5 s/);
  });
});
