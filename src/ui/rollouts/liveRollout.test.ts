// Checks the folding of streamed rollout events into one rollout's view (text, origin chunks, counts, tool calls) and its segments with tool times. Node, no GPU.
import { describe, expect, it } from "vitest";
import type { RolloutEvent } from "../../protocol/rollout_events";
import { getFormat } from "../../rollout/formats";
import { EMPTY_ROLLOUT, foldRolloutEvents, liveSegments } from "./liveRollout";

const key = { questionIndex: 0, sampleIndex: 0 };
const tok = (origin: "policy" | "forced", text: string, count = 1): RolloutEvent => ({ ...key, type: "tokens", origin, text, count });

describe("foldRolloutEvents", () => {
  it("appends text, merges neighbouring chunks of one origin and counts tokens by origin", () => {
    const a = foldRolloutEvents(EMPTY_ROLLOUT, [{ ...key, type: "start", promptTokens: 9 }, tok("policy", "<search>q"), tok("policy", "</search>", 2)]);
    const b = foldRolloutEvents(a, [tok("forced", "<response>r</response>", 5), tok("policy", "<answer>1</answer>", 3)]);
    expect(b.text).toBe("<search>q</search><response>r</response><answer>1</answer>");
    expect(b.chunks).toEqual([
      { origin: "policy", text: "<search>q</search>" },
      { origin: "forced", text: "<response>r</response>" },
      { origin: "policy", text: "<answer>1</answer>" },
    ]);
    expect([b.policyTokens, b.forcedTokens, b.promptTokens]).toEqual([6, 5, 9]);
  });

  it("leaves the previous view untouched (a new object, new arrays only where they changed)", () => {
    const a = foldRolloutEvents(EMPTY_ROLLOUT, [tok("policy", "x")]);
    const before = JSON.stringify(a);
    const b = foldRolloutEvents(a, [tok("policy", "y"), { ...key, type: "tool_start", call: 0, tool: "python", text: "print(1)" }]);
    expect(JSON.stringify(a)).toBe(before);
    expect(b).not.toBe(a);
    expect(b.chunks).not.toBe(a.chunks);
    const c = foldRolloutEvents(b, [{ ...key, type: "finish", finish: "eos", policyTokens: 2, forcedTokens: 0, turns: 1, toolCalls: 1 }]);
    expect(c.chunks).toBe(b.chunks);
    expect(c.finish).toBe("eos");
    expect(EMPTY_ROLLOUT.chunks).toEqual([]);
  });

  it("tracks tool calls from start to end, keeping the call's text and recording time and error", () => {
    const r = foldRolloutEvents(EMPTY_ROLLOUT, [
      { ...key, type: "tool_start", call: 0, tool: "python", text: "1/0" },
      { ...key, type: "tool_end", call: 0, tool: "python", response: "", ms: 7, error: "ZeroDivisionError" },
      { ...key, type: "tool_start", call: 1, tool: "search", text: "q" },
    ]);
    expect(r.toolCalls).toEqual([
      { tool: "python", text: "1/0", ms: 7, error: "ZeroDivisionError", done: true },
      { tool: "search", text: "q", done: false },
    ]);
  });
});

describe("liveSegments", () => {
  it("parses the text and gives each returned tool response its call's time and error", () => {
    const r = foldRolloutEvents(EMPTY_ROLLOUT, [
      tok("policy", "<think>t</think><search>q</search>"),
      { ...key, type: "tool_start", call: 0, tool: "search", text: "q" },
      { ...key, type: "tool_end", call: 0, tool: "search", response: "doc", ms: 12 },
      tok("forced", "\n\n<response>doc</response>\n\n"),
      tok("policy", "<code>1/0</code>"),
      { ...key, type: "tool_start", call: 1, tool: "python", text: "1/0" },
      tok("forced", "\n\n<response>Traceback</response>\n\n"),
    ]);
    expect(liveSegments(r, getFormat("tapo"))).toEqual([
      { kind: "think", text: "t" },
      { kind: "search", text: "q" },
      { kind: "response", tool: "search", text: "doc", ms: 12 },
      { kind: "code", text: "1/0" },
      { kind: "response", tool: "python", text: "Traceback" },
    ]);
  });
});
