// Checks the per-step run log: step files read back in step order up to a given step, a rewritten step replaces
// its file, and a missing or damaged step file is named in a problem line while the other steps still load
// (Node, no GPU).
import { describe, expect, it } from "vitest";
import type { EvalMetrics, StepMetrics } from "../protocol/run";
import type { Trace } from "../protocol/trace";
import { MemoryDir, utf8 } from "../storage/dir";
import { freshSeed, mulberry32 } from "../util/random";
import { listStepLogs, readRunLog, type StepLog, writeStepLog } from "./run_log";

function randomStep(step: number, rand: () => number): StepLog {
  const evalAt = (mode: "greedy" | "sampled"): EvalMetrics => ({ step, mode, n: 4, acc: rand(), reward: rand(), tool_calls: rand(), tool_calls_search: 1, tool_calls_code: 0, response_tokens: 10, seconds: 1 });
  const trace = (i: number): Trace => ({ v: 1, model: "test/tiny", question: `q${step}.${i} ${rand()} ü`, step, segments: [{ kind: "answer", text: String(rand()) }], created: new Date(0).toISOString() });
  return {
    v: 1,
    step,
    ...(step > 0 ? { metrics: { step, reward: rand(), acc: rand() } as unknown as StepMetrics } : {}),
    evals: rand() < 0.5 || step === 0 ? [evalAt("greedy"), evalAt("sampled")] : [],
    traces: step === 0 ? [] : Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => trace(i)),
  };
}

describe("run log", () => {
  it("reads back every step's metrics, evaluations and traces in step order, up to the step asked for", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const dir = new MemoryDir();
    const logs = Array.from({ length: 6 }, (_, step) => randomStep(step, rand));
    for (const log of [...logs].reverse()) await writeStepLog(dir, log); // written out of order: read in step order
    expect(await listStepLogs(dir)).toEqual([0, 1, 2, 3, 4, 5]);
    const upTo = 3;
    const want = logs.slice(0, upTo + 1);
    expect(await readRunLog(dir, upTo), `seed ${seed}`).toEqual({
      metrics: want.flatMap((l) => (l.metrics ? [l.metrics] : [])),
      evals: want.flatMap((l) => l.evals),
      traces: want.flatMap((l) => l.traces),
      problems: [],
    });
    // A resumed step writes its file again: the new one replaces the old.
    const again = randomStep(2, rand);
    await writeStepLog(dir, again);
    expect((await readRunLog(dir, upTo)).traces.filter((t) => t.step === 2)).toEqual(again.traces);
  });

  it("names a missing or damaged step file and keeps the other steps", async () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const dir = new MemoryDir();
    const logs = Array.from({ length: 5 }, (_, step) => randomStep(step, rand));
    for (const log of logs) await writeStepLog(dir, log);
    await dir.remove("log/step-000002.json");
    const cut = (await dir.read("log/step-000003.json"))!;
    await dir.write("log/step-000003.json", cut.slice(0, cut.length - 3));
    await dir.write("log/step-000004.json", utf8(JSON.stringify({ ...logs[4], step: 7 })));
    const read = await readRunLog(dir, 4);
    expect(read.problems, `seed ${seed}`).toHaveLength(3);
    expect(read.problems[0]).toMatch(/^step 2 has no log file \(log\/step-000002\.json\)/);
    expect(read.problems[1]).toMatch(/^step 3's log \(log\/step-000003\.json\) cannot be read \(.*JSON/);
    expect(read.problems[2]).toMatch(/^step 4's log .* not a version-1 step log of this step/);
    expect(read.metrics).toEqual([logs[1]!.metrics]);
    expect(read.traces).toEqual(logs[1]!.traces);
  });
});
