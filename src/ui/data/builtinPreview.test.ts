// Checks in Node (no GPU) that the Data page's built-in preview is the generator's own output for both splits,
// changes with the seed, and turns an impossible count into a message instead of a throw.
import { describe, expect, it } from "vitest";
import { builtinTasks } from "../../tasks/builtin";
import { builtinPreview } from "./builtinPreview";

const counts = { compute: 3, fact1: 3, fact2: 2, mixed: 2, easy: 2 };

describe("builtinPreview", () => {
  it("gives the tasks training will get for the seed, per split", () => {
    const p = builtinPreview(7, counts);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.train).toEqual(builtinTasks({ seed: 7, split: "train", counts }));
    expect(p.test).toEqual(builtinTasks({ seed: 7, split: "test", counts }));
    const other = builtinPreview(8, counts);
    expect(other.ok && other.train.map((t) => t.question)).not.toEqual(p.train.map((t) => t.question));
  });

  it("reports a count the generator cannot supply", () => {
    const p = builtinPreview(1, { ...counts, fact2: 100_000 });
    expect(p).toEqual({ ok: false, message: expect.stringMatching(/fact2 questions of the (train|test) split ran out/) as unknown as string });
  });
});
