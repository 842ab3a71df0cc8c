// Checks TimedToolRunner counts the union of overlapping tool calls' intervals, not their sum (Node, no GPU).
import { describe, expect, it } from "vitest";
import { TimedToolRunner } from "./timed_runner";
import type { ToolCall, ToolResult, ToolRunner } from "../protocol/tools";

/** A runner whose calls finish when the test says so, on a clock the test moves. */
function manualRunner() {
  const pending: (() => void)[] = [];
  const inner: ToolRunner = {
    run: (_call: ToolCall) => new Promise<ToolResult>((resolve) => pending.push(() => resolve({ response: "ok", ms: 0 }))),
    endSession: () => undefined,
  };
  return { inner, finish: (i: number) => pending[i]!() };
}

const call: ToolCall = { tool: "python", text: "1" };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("TimedToolRunner", () => {
  it("counts overlapping calls once and gaps not at all", async () => {
    let clock = 0;
    const { inner, finish } = manualRunner();
    const timed = new TimedToolRunner(inner, () => clock);
    clock = 10;
    const a = timed.run(call, "s1"); // busy from 10
    clock = 15;
    const b = timed.run(call, "s2");
    clock = 30;
    finish(0);
    await a;
    clock = 40;
    finish(1);
    await b; // busy 10..40 = 30
    clock = 100;
    const c = timed.run(call, "s3"); // idle 40..100 not counted
    clock = 107;
    expect(timed.read()).toEqual({ ms: 37, calls: 3 }); // the open call counts up to now
    finish(2);
    await c;
    await tick();
    clock = 200;
    expect(timed.read()).toEqual({ ms: 37, calls: 3 });
    timed.reset();
    expect(timed.read()).toEqual({ ms: 0, calls: 0 });
  });

  it("stops the clock when a call fails", async () => {
    let clock = 0;
    const timed = new TimedToolRunner({ run: async () => { clock = 25; throw new Error("boom"); }, endSession: () => undefined }, () => clock);
    await expect(timed.run(call, "s")).rejects.toThrow("boom");
    clock = 90;
    expect(timed.read().ms).toBe(25);
  });
});
