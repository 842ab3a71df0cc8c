// Checks training through the worker's Trainer as the UI drives it: a run on a loaded model is saved in OPFS, listed
// after it ends with its history; its Web Lock is held while it trains, and a run another tab holds is listed as
// read-only and can be neither resumed nor deleted; and after the GPU device is lost the Trainer acquires a new device, reloads the
// model and resumes the run from its last checkpoint. Tiny random model from files; needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { hfFolderBytes } from "../loader/hf_testing";
import { tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import { CHATML_TEMPLATE, tinyByteLevelTokenizerJson } from "../tokenizer/testing";
import { freshSeed } from "../util/random";
import type { TrainerEvent } from "./events";
import type { RunEvent, TrainRequest } from "../protocol/run";
import { lockedRuns, runLockName, whenRunLockFree } from "./run_lock";
import { Trainer } from "./trainer";

const tasks = [["2+3?", "5"], ["7*6?", "42"], ["9-4?", "5"], ["1+1?", "2"]].map(([q, a], i) => ({ id: `t${i}`, question: q!, answers: [a!], kind: "math" as const, data_source: "test" }));

describe("Trainer runs", () => {
  it("saves a run, lists it with its history, and resumes it on a new device after a device loss", async () => {
    const seed = freshSeed();
    const config = tinyConfig({ vocab: 258, maxPositions: 256, tieEmbeddings: false });
    const files = [...hfFolderBytes(randomWeights(config, seed, "f32", 0.2))].map(([name, bytes]) => ({ name, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) }));
    files.push({ name: "tokenizer.json", blob: new Blob([JSON.stringify(tinyByteLevelTokenizerJson())]) });
    files.push({ name: "tokenizer_config.json", blob: new Blob([JSON.stringify({ chat_template: CHATML_TEMPLATE, eos_token: "<|endoftext|>" })]) });
    const trainer = new Trainer();
    const trainerEvents: TrainerEvent[] = [];
    await trainer.connect((e) => trainerEvents.push(e));
    await trainer.loadModel({ kind: "files", label: "tiny-random", files }, "q8_0", (e) => trainerEvents.push(e));
    const request: TrainRequest = {
      tasks: { kind: "tasks", label: "four sums", train: tasks, test: tasks.slice(0, 1) },
      config: { groupSize: 2, promptsPerBatch: 2, miniBatches: 1, maxResponseTokens: 16, overlongBuffer: 4, maxTurns: 1, toolResponseTokens: 16, maxRegenerationRounds: 1 },
      steps: 1,
      seed: seed % 1000,
      evalEvery: 0,
      evalTasks: 0,
      checkpointEvery: 1,
      format: { system: ["Answer in <answer></answer>."] },
    };
    const events: RunEvent[] = [];
    // While it trains, the run's Web Lock is held: what every other tab of the origin sees.
    let lockedWhileTraining: Set<string> | undefined;
    const summary = await trainer.train(request, (e) => {
      events.push(e);
      // Asked as the run starts: its generation and update follow, so the answer comes back while it still trains.
      if (e.type === "run-started") void lockedRuns().then((held) => (lockedWhileTraining ??= held));
    });
    expect(summary, `seed ${seed}`).toMatchObject({ status: "finished", step: 1, steps: 1, model: "tiny-random" });
    await expect.poll(() => lockedWhileTraining).toBeDefined();
    expect(lockedWhileTraining!.has(summary.runId)).toBe(true);
    expect((await lockedRuns()).has(summary.runId)).toBe(false);
    const runs = await trainer.listRuns();
    expect(runs.find((r) => r.runId === summary.runId)).toMatchObject({ status: "finished", step: 1 });
    const history = await trainer.runHistory(summary.runId);
    expect(history.metrics.map((m) => m.step)).toEqual([1]);
    expect(history.traces).toHaveLength(4);
    expect(history.traces[0]!.model).toBe("tiny-random");

    // Another tab takes the run (the lock is the origin's: a tab cannot tell this test's hold from another tab's):
    // here it is listed as trained elsewhere, and can be neither resumed nor deleted.
    let otherTabDone = () => {};
    const otherTab = new Promise<void>((resolve) => (otherTabDone = resolve));
    await new Promise<void>((granted) => void navigator.locks.request(runLockName(summary.runId), () => (granted(), otherTab)));
    expect((await trainer.listRuns()).find((r) => r.runId === summary.runId)).toMatchObject({ elsewhere: true, step: 1 });
    await expect(trainer.train({ resume: summary.runId, steps: 2 }, () => {})).rejects.toThrow(/training in another tab of this browser: it is read-only here/);
    await expect(trainer.deleteRun(summary.runId)).rejects.toThrow(/training in another tab/);
    const freed = whenRunLockFree(summary.runId, new AbortController().signal);
    otherTabDone();
    await freed;
    expect((await trainer.listRuns()).find((r) => r.runId === summary.runId)?.elsewhere).toBeUndefined();

    await trainer.labelRun(summary.runId, { name: "kept across a resume", note: "" });

    // The device goes away; resuming the run with more steps brings a new device and the model back.
    trainer.releaseDevice();
    await expect.poll(() => trainerEvents.some((e) => e.type === "device-lost"), { timeout: 10_000 }).toBe(true);
    const resumedEvents: RunEvent[] = [];
    const resumed = await trainer.train({ resume: summary.runId, steps: 2 }, (e) => resumedEvents.push(e));
    expect(resumed).toMatchObject({ runId: summary.runId, status: "finished", step: 2, steps: 2 });
    expect(resumedEvents.find((e) => e.type === "run-started")).toMatchObject({ startStep: 1 });
    expect(resumedEvents.filter((e) => e.type === "step").map((e) => e.type === "step" && e.metrics.step)).toEqual([2]);
    expect(trainerEvents.filter((e) => e.type === "model-loaded")).toHaveLength(2);
    expect((await trainer.runHistory(summary.runId)).metrics.map((m) => m.step)).toEqual([1, 2]);
    expect((await trainer.listRuns()).find((r) => r.runId === summary.runId)?.name).toBe("kept across a resume");
    // A name and a note: listed with the run, kept when training rewrites run.json, removed when emptied.
    await trainer.labelRun(summary.runId, { name: "  first try ", note: "G=2, one step" });
    expect((await trainer.listRuns()).find((r) => r.runId === summary.runId)).toMatchObject({ name: "first try", note: "G=2, one step" });
    await expect(trainer.labelRun(summary.runId, { name: "x".repeat(81), note: "" })).rejects.toThrow("a run's name holds at most 80 characters; this one has 81");
    await expect(trainer.labelRun("no-such-run", { name: "a", note: "" })).rejects.toThrow("there is no saved run no-such-run");
    await trainer.labelRun(summary.runId, { name: "", note: "" });
    const unlabelled = (await trainer.listRuns()).find((r) => r.runId === summary.runId)!;
    expect([unlabelled.name, unlabelled.note]).toEqual([undefined, undefined]);
    await trainer.deleteRun(summary.runId);
    expect((await trainer.listRuns()).some((r) => r.runId === summary.runId)).toBe(false);
  });
});
