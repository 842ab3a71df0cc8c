// The rollout loop (TAPO §1): G rollouts per question, all decoding together.
// Each step decodes one token for every sequence that is generating; a sequence
// whose tool call is running is left out of the step until its response is
// appended, so a slow tool never stalls the others. Per rollout: generate until
// the first closing tag (see segments.ts), run the tool, append its response
// (truncated to a token budget) as forced tokens, continue; after maxTurns
// tool-call turns one last turn with tools disabled; a turn with no valid block
// gets the corrective message; stop at the answer, the budgets, or an
// end-of-turn token. Turn rules live in rollout_state.ts.
//
// Departures from the reference, on purpose:
// 1. Invalid turns (corrective message) count against maxTurns like tool calls,
//    as every loop iteration does in the reference; this also bounds them.
// 2. A tool call (or any invalid block) in the last, tools-disabled turn ends
//    the rollout with finish "max_turns" rather than one more corrective turn.
// 3. An end-of-turn token (<|im_end|>, EOS) ends the rollout, even without an
//    answer (the reward then fails its format); the reference re-prompted.
import type { SamplingParams, SequenceGenerator, SequenceHandle } from "../generate/types";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolCall, ToolResult, ToolRunner } from "../protocol/tools";
import type { RolloutEventSink } from "../protocol/rollout_events";
import { forcedAfterTail, getFormat, pythonCodeToRun, renderPrompt, truncateToTokens, wrapResponse } from "./formats";
import { type FormatName, type RolloutFormat } from "../protocol/format";
import { RolloutRun, type Rollout, type TurnOutcome } from "./rollout_state";

export type { Rollout, TokenOrigin } from "./rollout_state";
export type { FinishReason, RolloutEvent, RolloutEventSink, RolloutKey } from "../protocol/rollout_events";

export type RolloutConfig = {
  /** A preset name from formats.json, or a format object. */
  format: FormatName | RolloutFormat;
  /** Rollouts per question (G). */
  groupSize: number;
  /** Turns that may call tools (reference 4); then one last turn with tools disabled. */
  maxTurns: number;
  /** L_max: policy tokens per rollout. */
  maxResponseTokens: number;
  /** Tokens of one tool's output kept in its response (reference 2048). */
  toolResponseTokens: number;
  sampling: SamplingParams;
  /** Whole-sequence limit (prompt + response), e.g. the KV cache's; unlimited when absent. */
  maxContextTokens?: number;
  /** Sequences live in the generator at once; when absent, all of them, up to the generator's free cache slots. */
  maxLiveSequences?: number;
  /** Cancels the batch: tool calls are aborted, sequences released, runRollouts rejects with RolloutAbortedError. */
  signal?: AbortSignal;
};

export type RolloutDeps = { generator: SequenceGenerator; tools: ToolRunner; tokenizer: QwenTokenizer };

/** Thrown when the config's signal aborts a batch. */
export class RolloutAbortedError extends Error {
  constructor() {
    super("the rollouts were cancelled; their sequences were released");
    this.name = "RolloutAbortedError";
  }
}

/** A rollout in the generator, and what it waits for. */
type Live = {
  run: RolloutRun;
  handle: SequenceHandle;
  state: "decoding" | "tool" | "ready";
  /** Settles when the running tool call returns (never rejects). */
  toolDone?: Promise<void>;
  /** Forced text to append next, and its segment. */
  forced?: { text: string; segment: Rollout["segments"][number] };
};

let batchCounter = 0;

/**
 * Runs `config.groupSize` rollouts for each of the Q `questions`, decoding them together; returns the
 * Q·G rollouts question-major (rollout q·G + s is sample s of question q). `onEvent` receives token
 * deltas, tool calls and finishes as they happen.
 */
export async function runRollouts(
  questions: string[],
  deps: RolloutDeps,
  config: RolloutConfig,
  onEvent: RolloutEventSink = () => {},
): Promise<Rollout[]> {
  const { generator, tools, tokenizer } = deps;
  const format = typeof config.format === "string" ? getFormat(config.format) : config.format;
  const limits = {
    maxTurns: config.maxTurns,
    maxResponseTokens: config.maxResponseTokens,
    maxContextTokens: config.maxContextTokens ?? Number.POSITIVE_INFINITY,
  };
  const batch = ++batchCounter;
  const runs: RolloutRun[] = [];
  questions.forEach((question, questionIndex) => {
    const prompt = renderPrompt(format, question, tokenizer, config.maxTurns).ids;
    for (let sampleIndex = 0; sampleIndex < config.groupSize; sampleIndex++) {
      const session = `rollout-${batch}-${questionIndex}-${sampleIndex}`;
      runs.push(new RolloutRun({ questionIndex, sampleIndex }, session, prompt, format, limits, tokenizer, onEvent));
    }
  });

  const queue = [...runs];
  const live: Live[] = [];
  // A batch larger than the generator's cache (the CLI's default 64 prompts × 8 against 64 slots) runs in waves.
  const slots = generator.freeSequences ?? Number.POSITIVE_INFINITY;
  if (slots < 1 && runs.length > 0) throw new Error("the generator has no free cache slot for a rollout; release finished sequences first");
  const maxLive = Math.max(1, Math.min(config.maxLiveSequences ?? runs.length, slots));
  const signal = config.signal;

  const runTool = async (l: Live, call: ToolCall, tail: string) => {
    const index = l.run.toolCalls.length;
    onEvent({ ...l.run.key, type: "tool_start", call: index, tool: call.tool, text: call.text });
    const t0 = performance.now();
    // The tiny format binds the question's numbers for Python (formats.ts, pythonNums); the trace keeps the model's own code.
    const question = questions[l.run.key.questionIndex]!;
    const executed = call.tool === "python" ? { ...call, text: pythonCodeToRun(format, question, call.text) } : call;
    let result: ToolResult;
    try {
      result = await tools.run(executed, l.run.session, signal);
    } catch (e) {
      result = { response: `The ${call.tool} tool failed: ${(e as Error).message}`, error: "failed", ms: performance.now() - t0 };
    }
    onEvent({ ...l.run.key, type: "tool_end", call: index, tool: call.tool, response: result.response, ms: result.ms, ...(result.error !== undefined ? { error: result.error } : {}) });
    l.run.recordTool(call.tool, result.ms, result.error);
    const output = truncateToTokens(result.response, config.toolResponseTokens, tokenizer).text;
    const segment: Rollout["segments"][number] = { kind: "response", tool: call.tool, text: output, ms: result.ms, ...(result.error !== undefined ? { error: result.error } : {}) };
    l.forced = { text: forcedAfterTail(wrapResponse(format, output), tail), segment };
    l.state = "ready";
  };

  const apply = (l: Live, outcome: TurnOutcome) => {
    if (outcome.kind === "tool") {
      l.state = "tool";
      l.toolDone = runTool(l, outcome.call, outcome.tail);
    } else if (outcome.kind === "corrective") {
      l.forced = { text: forcedAfterTail(format.corrective, outcome.tail), segment: l.run.correctiveSegment() };
      l.state = "ready";
    }
  };

  const retire = (l: Live) => {
    generator.release(l.handle);
    void Promise.resolve()
      .then(() => tools.endSession(l.run.session))
      .catch(() => {});
  };

  try {
    while (queue.length > 0 || live.length > 0) {
      if (signal?.aborted) throw new RolloutAbortedError();
      while (queue.length > 0 && live.length < maxLive) {
        const run = queue.shift()!;
        const handle = await generator.start(run.tokens);
        onEvent({ ...run.key, type: "start", promptTokens: run.tokens.length });
        live.push({ run, handle, state: "decoding" });
      }
      for (const l of live) {
        if (l.state !== "ready" || l.forced === undefined) continue;
        const ids = tokenizer.encode(l.forced.text, { addSpecialTokens: false });
        if (l.run.overBudget(ids.length)) {
          l.run.end("length");
          continue;
        }
        await generator.append(l.handle, ids);
        l.run.addForced(ids, l.forced.text, l.forced.segment);
        l.forced = undefined;
        l.state = "decoding";
      }
      const decoding = live.filter((l) => l.state === "decoding" && l.run.finish === undefined);
      if (decoding.length > 0) {
        const sampled = await generator.step(
          decoding.map((l) => l.handle),
          config.sampling,
        );
        if (sampled.length !== decoding.length) {
          throw new Error(`the generator returned ${sampled.length} tokens for a step of ${decoding.length} sequences`);
        }
        decoding.forEach((l, i) => apply(l, l.run.addSampled(sampled[i]!)));
      } else {
        const waiting = live.filter((l) => l.state === "tool" && l.toolDone !== undefined);
        if (waiting.length > 0) await Promise.race(waiting.map((l) => l.toolDone));
      }
      for (let i = live.length - 1; i >= 0; i--) {
        if (live[i]!.run.finish !== undefined) retire(live.splice(i, 1)[0]!);
      }
    }
  } finally {
    for (const l of live) retire(l);
  }
  return runs.map((r) => r.result());
}
