// Checks, in Node (no GPU), that holding out a test share is deterministic, order-independent, exact in size and a partition.
import { describe, expect, it } from "vitest";
import type { Task } from "../protocol/tasks";
import { mulberry32 } from "../util/random";
import { holdOutTestShare, testCountFor } from "./held_out";

function tasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, question: `What is ${i} + ${i}?`, answers: [String(2 * i)], data_source: "test" }));
}

function shuffle<T>(items: T[], seed: number): T[] {
  const rand = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ids = (ts: Task[]) => ts.map((t) => t.id);

describe("holdOutTestShare", () => {
  it("holds out round(n × share) tasks and keeps every task exactly once, in its original order", () => {
    const all = tasks(100);
    const { train, test } = holdOutTestShare(all, 0.2);
    expect(test).toHaveLength(20);
    expect(train).toHaveLength(80);
    expect([...ids(train), ...ids(test)].sort()).toEqual(ids(all).sort());
    const pos = (t: Task) => all.indexOf(t);
    expect(train.map(pos)).toEqual([...train.map(pos)].sort((a, b) => a - b));
    expect(test.map(pos)).toEqual([...test.map(pos)].sort((a, b) => a - b));
  });

  it("gives the same test set for the same tasks in any order", () => {
    const all = tasks(57);
    const first = new Set(ids(holdOutTestShare(all, 0.3).test));
    for (const seed of [1, 2, 3]) {
      const again = new Set(ids(holdOutTestShare(shuffle(all, seed), 0.3).test));
      expect(again, `order seed ${seed}`).toEqual(first);
    }
  });

  it("does not simply take the first or last rows", () => {
    const all = tasks(50);
    const test = ids(holdOutTestShare(all, 0.2).test);
    expect(test).not.toEqual(ids(all.slice(0, 10)));
    expect(test).not.toEqual(ids(all.slice(40)));
  });

  it("a larger share contains the smaller one's test set (tasks are ranked once)", () => {
    const all = tasks(40);
    const small = ids(holdOutTestShare(all, 0.1).test);
    const large = new Set(ids(holdOutTestShare(all, 0.4).test));
    for (const id of small) expect(large.has(id)).toBe(true);
  });

  it("holds out nothing for share 0, at least one task for a tiny share, and never every task", () => {
    expect(holdOutTestShare(tasks(10), 0).test).toHaveLength(0);
    expect(testCountFor(10, 0.01)).toBe(1);
    expect(testCountFor(1, 0.5)).toBe(0);
    expect(testCountFor(2, 0.5)).toBe(1);
    expect(testCountFor(0, 0.2)).toBe(0);
  });

  it("refuses a share outside [0, 0.5]", () => {
    expect(() => holdOutTestShare(tasks(4), 0.9)).toThrow(RangeError);
    expect(() => holdOutTestShare(tasks(4), -0.1)).toThrow(/between 0 and 0.5/);
    expect(() => testCountFor(4, Number.NaN)).toThrow(RangeError);
  });
});
