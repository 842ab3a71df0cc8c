// Checks CappedText (Node, no GPU): the kept head and tail and the cut count match the whole text for random mixed-script text fed as random UTF-8 chunks, big chunks included.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { CappedText } from "./capture.ts";

const ALPHABET = ["a", "b", "7", "\n", "é", "ж", "漢", "😀", "𝄞", " "];

function randomText(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

/** Feeds `bytes` in chunks whose sizes are drawn from `sizes`. */
function feed(capture: CappedText, bytes: Uint8Array, rand: () => number, sizes: number[]): void {
  let i = 0;
  while (i < bytes.length) {
    const size = sizes[Math.floor(rand() * sizes.length)]!;
    capture.pushBytes(bytes.subarray(i, i + size));
    i += size;
  }
}

describe("CappedText", () => {
  it("keeps everything while the text fits", () => {
    const c = new CappedText(10, 10);
    c.pushText("hello ");
    c.pushBytes(new TextEncoder().encode("wörld"));
    const r = c.result();
    expect(r.head + r.tail).toBe("hello wörld");
    expect(r.cutChars).toBe(0);
  });

  for (const sizes of [[1, 2, 3, 7], [5000, 70_000, 200_000], [1, 100_000]]) {
    it(`keeps the exact ends and counts the middle (chunks of ${sizes.join("/")} bytes)`, () => {
      const seed = freshSeed();
      const rand = mulberry32(seed);
      const text = randomText(rand, 20_000 + Math.floor(rand() * 100_000));
      const headChars = 1 + Math.floor(rand() * 1000);
      const tailChars = 1 + Math.floor(rand() * 1000);
      const c = new CappedText(headChars, tailChars);
      feed(c, new TextEncoder().encode(text), rand, sizes);
      const r = c.result();
      expect(r.head, `seed ${seed}`).toBe(text.slice(0, headChars));
      // The tail may lose one character where its cut split a surrogate pair.
      expect(text.endsWith(r.tail), `seed ${seed}`).toBe(true);
      expect(r.tail.length, `seed ${seed}`).toBeGreaterThanOrEqual(tailChars - 1);
      expect(r.head.length + r.tail.length + r.cutChars, `seed ${seed}`).toBe(
        text.length - (tailChars - r.tail.length),
      );
    });
  }

  it("holds only the budgets after a 50 MB chunk", () => {
    const bytes = new Uint8Array(50_000_000).fill(0x78); // "x"
    bytes[0] = 0x41; // "A"
    bytes[bytes.length - 1] = 0x5a; // "Z"
    const c = new CappedText(4, 3);
    c.pushBytes(bytes);
    const r = c.result();
    expect(r.head).toBe("Axxx");
    expect(r.tail).toBe("xxZ");
    expect(r.cutChars).toBe(bytes.length - 7);
  });

  it("counts text pushed as strings the same way", () => {
    const c = new CappedText(3, 2);
    c.pushText("abc");
    c.pushText("defgh");
    c.pushText("ij");
    const r = c.result();
    expect([r.head, r.tail, r.cutChars]).toEqual(["abc", "ij", 5]);
  });
});
