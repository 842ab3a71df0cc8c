// Checks a group's rewards under the DAPO config: overlong shaping on policy tokens, and the tool-efficiency factor
// computed from the tool calls the loop ran, on hand-written rollouts (Node, no GPU).
import { describe, expect, it } from "vitest";
import { getFormat } from "../rollout/formats";
import type { Rollout } from "../rollout/rollout_state";
import type { Task } from "../protocol/tasks";
import { toolEfficiency } from "../rewards/tool_efficiency";
import { groupRewards } from "./group_rewards";

const format = getFormat("tapo");
const task: Task = { id: "t", question: "What is 6*7?", answers: ["42"], kind: "math", data_source: "test" };

function rollout(answer: string, calls: number, policyTokens: number): Rollout {
  const text = `<think>x</think>${"<code>print(6*7)</code><response>42</response>".repeat(calls)}<answer>${answer}</answer>`;
  return {
    questionIndex: 0, sampleIndex: 0, tokens: [], origins: [], logprobs: [], text, segments: [],
    toolCalls: Array.from({ length: calls }, () => ({ tool: "python" as const, ms: 1 })),
    turns: calls + 1, finish: "answer", promptTokens: 10, policyTokens, forcedTokens: 0,
  };
}

const base = { overlongShaping: false, maxResponseTokens: 100, overlongBuffer: 20, toolEfficiency: false };

describe("groupRewards", () => {
  it("scores correctness and format, and shapes overlong responses on policy tokens", () => {
    const group = [rollout("42", 1, 50), rollout("41", 1, 50), rollout("42", 1, 90)];
    expect(groupRewards(task, group, base, format).map((r) => r.total)).toEqual([1, -1, 1]);
    // 90 policy tokens sit 10 into the 20-token buffer below 100: penalty −10/20.
    expect(groupRewards(task, group, { ...base, overlongShaping: true }, format).map((r) => r.total)).toEqual([1, -1, 0.5]);
  });

  it("scales correct rewards by tool efficiency against the group's fewest correct calls", () => {
    const group = [rollout("42", 1, 50), rollout("42", 3, 50), rollout("7", 0, 50)];
    const off = groupRewards(task, group, base, format);
    expect(off.map((r) => r.total)).toEqual([1, 1, -1]);
    expect(off.every((r) => r.tool === undefined)).toBe(true);
    const on = groupRewards(task, group, { ...base, toolEfficiency: true }, format);
    // Fewest correct calls n = 1 (the wrong answer's 0 calls do not count): m = 1 keeps 1, m = 3 is cut.
    expect(on[0]!.total).toBe(1);
    expect(on[1]!.total).toBeCloseTo(toolEfficiency(3, 1), 12);
    expect(on[1]!.total).toBeLessThan(0.9);
    expect(on[2]!.total).toBe(-1);
  });
});
