// Traces (DESIGN.md's Trace v1, e.g. a run's traces.jsonl or hand-written
// demonstrations) as supervised examples: each trace's segments are written
// back in a rollout format's tags — think, search/code calls with the tool's
// response as forced text, the answer — and tokenized as the rollout loop
// would have produced them. A trace that cannot be a demonstration is left
// out with the reason: one that was judged wrong (unless asked for), one with
// no answer, a call without a response, or a response without a call.
import type { RolloutFormat } from "../protocol/format";
import type { Trace } from "../protocol/trace";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import { PieceWriter, piecesExample, type SftPiece } from "./pieces";
import type { SftExample } from "./sft_weights";

export type TraceExamples = {
  examples: SftExample[];
  /** Traces left out: their index in the input and why. */
  skipped: { index: number; reason: string }[];
};

/** The trace's pieces in `format`, or why it cannot be written as a demonstration. */
export function tracePieces(trace: Trace, format: RolloutFormat): SftPiece[] | { skip: string } {
  const w = new PieceWriter(format);
  const segs = trace.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.kind === "think") w.think(s.text);
    else if (s.kind === "text") w.text(s.text);
    else if (s.kind === "search" || s.kind === "code") {
      const next = segs[i + 1];
      if (next?.kind !== "response") return { skip: `segment ${i} (${s.kind}) has no tool response after it` };
      w.call(s.kind === "code" ? "python" : "search", s.text, next.text);
      i++;
    } else if (s.kind === "response") return { skip: `segment ${i} is a tool response without a call before it` };
    else if (s.kind === "answer") {
      if (i !== segs.length - 1) return { skip: `segment ${i} is an answer with more segments after it` };
      return w.answer(s.text);
    }
  }
  return { skip: "it has no answer" };
}

/**
 * Supervised examples from traces in `format`. Traces judged wrong (reward.correct false) are
 * left out unless `includeWrong`; traces without a reward (hand-written demonstrations) are kept.
 */
export function traceExamples(
  traces: readonly Trace[],
  tokenizer: QwenTokenizer,
  format: RolloutFormat,
  opts: { maxTurns: number; includeWrong?: boolean },
): TraceExamples {
  const examples: SftExample[] = [];
  const skipped: TraceExamples["skipped"] = [];
  traces.forEach((trace, index) => {
    if (trace.reward && !trace.reward.correct && !opts.includeWrong) {
      skipped.push({ index, reason: "it was judged wrong" });
      return;
    }
    const pieces = tracePieces(trace, format);
    if ("skip" in pieces) skipped.push({ index, reason: pieces.skip });
    else examples.push(piecesExample(trace.question, pieces, tokenizer, format, opts.maxTurns));
  });
  return { examples, skipped };
}
