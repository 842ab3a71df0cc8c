// Checks the Playground's store: an answer streamed in several batches, a second answer that
// starts clean, failures, and the reset the tests run between cases. Node, no GPU.
import { afterEach, describe, expect, it } from "vitest";
import type { RolloutEvent } from "../../protocol/rollout_events";
import { DEFAULT_PLAYGROUND } from "../../trainer/playground";
import { applyRolloutEvents, failAnswer, nextSeed, resetPlaygroundStore, setPlaygroundSettings, setQuestion, startAnswer, usePlaygroundStore } from "./playgroundStore";

const key = { questionIndex: 0, sampleIndex: 0 };
const tok = (origin: "policy" | "forced", text: string, count: number): RolloutEvent => ({ ...key, type: "tokens", origin, text, count });

afterEach(() => resetPlaygroundStore());

describe("playground store", () => {
  it("folds batches into one answer and keeps the tool call's timing", () => {
    startAnswer();
    applyRolloutEvents([tok("policy", "<code>print(6*7)</code>", 7), { ...key, type: "tool_start", call: 0, tool: "python", text: "print(6*7)" }]);
    applyRolloutEvents([{ ...key, type: "tool_end", call: 0, tool: "python", response: "42", ms: 12 }, tok("forced", "<response>42</response>", 4)]);
    applyRolloutEvents([tok("policy", "<answer>42</answer>", 5), { ...key, type: "finish", finish: "answer", policyTokens: 12, forcedTokens: 4, turns: 2, toolCalls: 1 }]);
    const s = usePlaygroundStore.getState();
    expect(s.status).toBe("running");
    expect(s.text).toBe("<code>print(6*7)</code><response>42</response><answer>42</answer>");
    expect([s.policyTokens, s.forcedTokens, s.finish]).toEqual([12, 4, "answer"]);
    expect(s.toolCalls).toEqual([{ tool: "python", text: "print(6*7)", ms: 12, done: true }]);
  });

  it("starts a new answer from nothing, and a failure keeps what was streamed", () => {
    startAnswer();
    applyRolloutEvents([tok("policy", "old", 1)]);
    startAnswer();
    expect(usePlaygroundStore.getState().text).toBe("");
    applyRolloutEvents([tok("policy", "<think>", 2)]);
    failAnswer("the GPU device was lost");
    expect(usePlaygroundStore.getState()).toMatchObject({ status: "error", error: "the GPU device was lost", text: "<think>", policyTokens: 2 });
  });

  it("records the seed an answer was sampled with, and Sample again takes the next one", () => {
    setPlaygroundSettings({ seed: 41 });
    startAnswer();
    expect(usePlaygroundStore.getState().askedSeed).toBe(41);
    nextSeed();
    expect(usePlaygroundStore.getState().settings.seed).toBe(42);
    expect(usePlaygroundStore.getState().askedSeed).toBe(41); // until the next answer starts
    startAnswer();
    expect(usePlaygroundStore.getState().askedSeed).toBe(42);
  });

  it("is back to its defaults after a reset", () => {
    setPlaygroundSettings({ temperature: 0.1, maxTurns: 1 });
    setQuestion("What is 6 times 7?");
    startAnswer();
    resetPlaygroundStore();
    const s = usePlaygroundStore.getState();
    expect(s.settings).toEqual(DEFAULT_PLAYGROUND);
    expect([s.question, s.status, s.text]).toEqual(["", "idle", ""]);
  });
});
