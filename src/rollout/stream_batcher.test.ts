// Checks StreamBatcher with fake timers: batches at most every 50 ms, token deltas of a rollout merged in order, other events kept between them, nothing lost. Node, no GPU.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import type { RolloutEvent } from "../protocol/rollout_events";
import { StreamBatcher } from "./stream_batcher";

const tokens = (q: number, s: number, text: string, origin: "policy" | "forced" = "policy"): RolloutEvent => ({
  type: "tokens",
  questionIndex: q,
  sampleIndex: s,
  origin,
  text,
  count: text.length,
});

describe("StreamBatcher", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands over at most one batch per 50 ms and loses nothing", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const batches: { at: number; events: RolloutEvent[] }[] = [];
    const batcher = new StreamBatcher((events) => batches.push({ at: Date.now(), events }));
    const sent = new Map<string, string>();
    for (let ms = 0; ms < 500; ms++) {
      for (let k = 0; k < 3; k++) {
        const q = Math.floor(rand() * 2);
        const s = Math.floor(rand() * 2);
        const text = String.fromCharCode(97 + Math.floor(rand() * 26));
        sent.set(`${q}/${s}`, (sent.get(`${q}/${s}`) ?? "") + text);
        batcher.push(tokens(q, s, text));
      }
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(batches.length, `seed ${seed}`).toBeGreaterThanOrEqual(9);
    expect(batches.length, `seed ${seed}`).toBeLessThanOrEqual(11);
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.at - batches[i - 1]!.at, `seed ${seed}`).toBeGreaterThanOrEqual(50);
    for (const b of batches) {
      // One merged delta per rollout per batch.
      const keys = b.events.map((e) => `${e.questionIndex}/${e.sampleIndex}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const received = new Map<string, string>();
    for (const e of batches.flatMap((b) => b.events)) {
      if (e.type !== "tokens") throw new Error("only token events were sent");
      received.set(`${e.questionIndex}/${e.sampleIndex}`, (received.get(`${e.questionIndex}/${e.sampleIndex}`) ?? "") + e.text);
    }
    expect(received, `seed ${seed}`).toEqual(sent);
  });

  it("never merges across another event of the rollout or across origins, and keeps each rollout's order", () => {
    const batches: RolloutEvent[][] = [];
    const batcher = new StreamBatcher((events) => batches.push(events));
    batcher.push(tokens(0, 0, "<search>q</search>"));
    batcher.push(tokens(1, 0, "a"));
    batcher.push({ type: "tool_start", questionIndex: 0, sampleIndex: 0, call: 0, tool: "search", text: "q" });
    batcher.push(tokens(1, 0, "b"));
    batcher.push(tokens(0, 0, "<response>r</response>", "forced"));
    batcher.push(tokens(0, 0, "<answer>", "policy"));
    batcher.push(tokens(0, 0, "x</answer>", "policy"));
    batcher.push({ type: "finish", questionIndex: 0, sampleIndex: 0, finish: "answer", policyTokens: 3, forcedTokens: 1, turns: 2, toolCalls: 1 });
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(batches.length).toBe(1);
    const mine = batches[0]!.filter((e) => e.questionIndex === 0);
    expect(mine.map((e) => (e.type === "tokens" ? `${e.origin}:${e.text}:${e.count}` : e.type))).toEqual([
      "policy:<search>q</search>:18",
      "tool_start",
      "forced:<response>r</response>:22",
      "policy:<answer>x</answer>:18",
      "finish",
    ]);
    expect(batches[0]!.filter((e) => e.questionIndex === 1)).toEqual([{ ...tokens(1, 0, "ab") }]);
  });

  it("flushes at once on close and ignores what comes after", () => {
    const batches: RolloutEvent[][] = [];
    const batcher = new StreamBatcher((events) => batches.push(events), 50);
    batcher.push(tokens(0, 0, "a"));
    vi.advanceTimersByTime(0);
    batcher.push(tokens(0, 0, "b"));
    vi.advanceTimersByTime(10);
    expect(batches.length).toBe(1);
    batcher.close();
    expect(batches.map((b) => b.map((e) => (e.type === "tokens" ? e.text : "")))).toEqual([["a"], ["b"]]);
    batcher.push(tokens(0, 0, "c"));
    vi.advanceTimersByTime(200);
    expect(batches.length).toBe(2);
  });
});
