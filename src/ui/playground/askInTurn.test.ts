// Checks that the Playground asks its models in turn: the base model only after the adapter has answered, a failure
// that does not stop the next model, and a stop that ends the answer being written and skips the models after it.
// Node, no GPU: the worker's ask is a fake.
import { afterEach, describe, expect, it } from "vitest";
import type { RolloutEvent } from "../../protocol/rollout_events";
import type { Trace } from "../../protocol/trace";
import type { PlaygroundModel } from "../../trainer/playground";
import { askInTurn } from "./askInTurn";
import { applyRolloutEvents, resetPlaygroundStore, usePlaygroundStore } from "./playgroundStore";

const tokens = (text: string): RolloutEvent[] => [{ questionIndex: 0, sampleIndex: 0, type: "tokens", origin: "policy", text, count: 1 }];
const traceOf = (model: PlaygroundModel) => ({ question: model }) as Trace;
const statuses = () => usePlaygroundStore.getState().answers.map((a) => `${a.model}:${a.status}`);

afterEach(() => resetPlaygroundStore());

describe("askInTurn", () => {
  it("asks the base model only once the adapter has answered, each into its own column", async () => {
    const seen: string[] = [];
    const ask = async (model: PlaygroundModel) => {
      seen.push(`${model} asked while ${statuses().join(", ")}`);
      applyRolloutEvents(model, tokens(`${model} says 42`));
      await Promise.resolve();
      return traceOf(model);
    };
    await askInTurn(["adapter", "base"], ask, new AbortController().signal);
    expect(seen).toEqual(["adapter asked while adapter:running, base:waiting", "base asked while adapter:done, base:running"]);
    const s = usePlaygroundStore.getState();
    expect(s.answers.map((a) => [a.rollout.text, a.trace?.question])).toEqual([
      ["adapter says 42", "adapter"],
      ["base says 42", "base"],
    ]);
    expect(s.status).toBe("done");
  });

  it("still asks the base model when the adapter's answer fails, and the ask ends as an error", async () => {
    const asked: PlaygroundModel[] = [];
    const ask = (model: PlaygroundModel) => {
      asked.push(model);
      return model === "adapter" ? Promise.reject(new Error("no trained adapter is kept in this tab")) : Promise.resolve(traceOf(model));
    };
    await askInTurn(["adapter", "base"], ask, new AbortController().signal);
    expect(asked).toEqual(["adapter", "base"]);
    expect(usePlaygroundStore.getState().answers.map((a) => [a.status, a.error])).toEqual([
      ["error", "no trained adapter is kept in this tab"],
      ["done", undefined],
    ]);
    expect(usePlaygroundStore.getState().status).toBe("error");
  });

  it("a stop during the adapter's answer keeps what it wrote and never asks the base model", async () => {
    const stop = new AbortController();
    const asked: PlaygroundModel[] = [];
    const ask = (model: PlaygroundModel) => {
      asked.push(model);
      applyRolloutEvents(model, tokens("<think>half"));
      // The worker rejects the answer it was writing when stopped.
      stop.abort();
      return Promise.reject(new Error("the rollouts were cancelled; their sequences were released"));
    };
    await askInTurn(["adapter", "base"], ask, stop.signal);
    expect(asked).toEqual(["adapter"]);
    const [adapter, base] = usePlaygroundStore.getState().answers;
    expect(adapter).toMatchObject({ status: "stopped", error: "Stopped before the end.", rollout: { text: "<think>half" } });
    expect(base).toMatchObject({ status: "stopped", error: "Not asked: stopped before this model's turn.", rollout: { text: "", policyTokens: 0 } });
    expect(usePlaygroundStore.getState().status).toBe("stopped");
  });
});
