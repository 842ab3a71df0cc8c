// Checks the Playground's store: an answer streamed in several batches, who answers (the adapter, the base model, or
// both side by side), answers that stream into their own column, stops and failures, the Python boot state, and the
// reset the tests run between cases. Node, no GPU.
import { afterEach, describe, expect, it } from "vitest";
import type { RolloutEvent } from "../../protocol/rollout_events";
import { DEFAULT_PLAYGROUND } from "../../trainer/playground";
import {
  answerTitle,
  applyRolloutEvents,
  endAsk,
  failAnswer,
  finishAnswer,
  modelsToAsk,
  nextSeed,
  resetPlaygroundStore,
  setAdapter,
  setCompare,
  setPlaygroundSettings,
  setPythonState,
  setQuestion,
  startAnswer,
  startAsk,
  usePlaygroundStore,
} from "./playgroundStore";
import type { Trace } from "../../protocol/trace";

const key = { questionIndex: 0, sampleIndex: 0 };
const tok = (origin: "policy" | "forced", text: string, count: number): RolloutEvent => ({ ...key, type: "tokens", origin, text, count });
const trace = { question: "q" } as Trace;
const adapter = { runId: "run-20250101T000000-abcd", step: 3 };
const answer = (i: number) => usePlaygroundStore.getState().answers[i]!;

afterEach(() => resetPlaygroundStore());

describe("playground store", () => {
  it("folds batches into one answer and keeps the tool call's timing", () => {
    startAsk(["base"]);
    startAnswer("base");
    applyRolloutEvents("base", [tok("policy", "<code>print(6*7)</code>", 7), { ...key, type: "tool_start", call: 0, tool: "python", text: "print(6*7)" }]);
    applyRolloutEvents("base", [{ ...key, type: "tool_end", call: 0, tool: "python", response: "42", ms: 12 }, tok("forced", "<response>42</response>", 4)]);
    applyRolloutEvents("base", [tok("policy", "<answer>42</answer>", 5), { ...key, type: "finish", finish: "answer", policyTokens: 12, forcedTokens: 4, turns: 2, toolCalls: 1 }]);
    const { rollout, status } = answer(0);
    expect(status).toBe("running");
    expect(usePlaygroundStore.getState().status).toBe("running");
    expect(rollout.text).toBe("<code>print(6*7)</code><response>42</response><answer>42</answer>");
    expect([rollout.policyTokens, rollout.forcedTokens, rollout.finish]).toEqual([12, 4, "answer"]);
    expect(rollout.toolCalls).toEqual([{ tool: "python", text: "print(6*7)", ms: 12, done: true }]);
    finishAnswer("base", trace);
    endAsk();
    expect([answer(0).status, usePlaygroundStore.getState().status]).toEqual(["done", "done"]);
  });

  it("asks the base model without an adapter, the adapter with one, and both (adapter first) when comparing", () => {
    expect(modelsToAsk({ adapter: undefined, compare: true })).toEqual(["base"]);
    expect(modelsToAsk({ adapter, compare: false })).toEqual(["adapter"]);
    expect(modelsToAsk({ adapter, compare: true })).toEqual(["adapter", "base"]);
    expect(answerTitle("adapter", adapter)).toBe("Trained adapter (run-20250101T000000-abcd, step 3)");
    expect(answerTitle("base", adapter)).toBe("Base model");
  });

  it("streams each model's answer into its own column; the base model waits its turn", () => {
    setAdapter(adapter);
    setCompare(true);
    startAsk(modelsToAsk(usePlaygroundStore.getState()));
    expect(usePlaygroundStore.getState().answers.map((a) => [a.model, a.title, a.status])).toEqual([
      ["adapter", "Trained adapter (run-20250101T000000-abcd, step 3)", "waiting"],
      ["base", "Base model", "waiting"],
    ]);
    startAnswer("adapter");
    applyRolloutEvents("adapter", [tok("policy", "<answer>42</answer>", 5)]);
    finishAnswer("adapter", trace);
    startAnswer("base");
    applyRolloutEvents("base", [tok("policy", "<answer>41</answer>", 6)]);
    expect([answer(0).rollout.text, answer(0).status]).toEqual(["<answer>42</answer>", "done"]);
    expect([answer(1).rollout.text, answer(1).rollout.policyTokens, answer(1).status]).toEqual(["<answer>41</answer>", 6, "running"]);
    // The adapter the worker keeps changes (a new run): the columns keep the title they were asked under.
    setAdapter(undefined);
    expect(answer(0).title).toBe("Trained adapter (run-20250101T000000-abcd, step 3)");
  });

  it("a stop ends the ask as stopped, keeping what was streamed; a failure ends it as an error", () => {
    setAdapter(adapter);
    setCompare(true);
    startAsk(["adapter", "base"]);
    startAnswer("adapter");
    applyRolloutEvents("adapter", [tok("policy", "<think>", 2)]);
    failAnswer("adapter", "Stopped before the end.", true);
    failAnswer("base", "Not asked: stopped before this model's turn.", true);
    endAsk();
    expect(answer(0)).toMatchObject({ status: "stopped", error: "Stopped before the end.", rollout: { text: "<think>", policyTokens: 2 } });
    expect(usePlaygroundStore.getState().status).toBe("stopped");

    startAsk(["base"]);
    expect(answer(0).rollout.text).toBe("");
    startAnswer("base");
    failAnswer("base", "the GPU device was lost");
    endAsk();
    expect(answer(0)).toMatchObject({ status: "error", error: "the GPU device was lost" });
    expect(usePlaygroundStore.getState().status).toBe("error");
  });

  it("keeps the Python worker's boot state during an ask, and forgets it when the ask ends or a new one starts", () => {
    startAsk(["base"]);
    setPythonState("booting");
    expect(usePlaygroundStore.getState().python).toBe("booting");
    endAsk();
    expect(usePlaygroundStore.getState().python).toBeUndefined();
    setPythonState("ready");
    startAsk(["base"]);
    expect(usePlaygroundStore.getState().python).toBeUndefined();
  });

  it("records the seed an answer was sampled with, and Sample again takes the next one", () => {
    setPlaygroundSettings({ seed: 41 });
    startAsk(["base"]);
    expect(usePlaygroundStore.getState().askedSeed).toBe(41);
    nextSeed();
    expect(usePlaygroundStore.getState().settings.seed).toBe(42);
    expect(usePlaygroundStore.getState().askedSeed).toBe(41); // until the next answer starts
    startAsk(["base"]);
    expect(usePlaygroundStore.getState().askedSeed).toBe(42);
  });

  it("is back to its defaults after a reset", () => {
    setPlaygroundSettings({ temperature: 0.1, maxTurns: 1 });
    setQuestion("What is 6 times 7?");
    setAdapter(adapter);
    setCompare(true);
    startAsk(["adapter", "base"]);
    resetPlaygroundStore();
    const s = usePlaygroundStore.getState();
    expect(s.settings).toEqual(DEFAULT_PLAYGROUND);
    expect([s.question, s.status, s.answers, s.compare, s.adapter]).toEqual(["", "idle", [], false, undefined]);
  });
});
