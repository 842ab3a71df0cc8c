// One model's answer in the Playground: headed with the model that writes it (the trained
// adapter or the base model), a stats line, and the streamed text as segments.
import { useMemo } from "react";
import type { FormatName } from "../../protocol/format";
import { getFormat } from "../../rollout/formats";
import { liveSegments } from "../rollouts/liveRollout";
import type { PlaygroundAnswer } from "./playgroundStore";
import { Segments } from "./Segments";

/** The stats line: tokens written and inserted, tool calls, and where the answer stands. */
export function answerStats(answer: PlaygroundAnswer, seed: number | undefined): string {
  const { policyTokens, forcedTokens, toolCalls, finish } = answer.rollout;
  const calls = toolCalls.length ? `, ${toolCalls.length} tool call${toolCalls.length > 1 ? "s" : ""}` : "";
  const where = finish
    ? `; finished: ${finish}`
    : answer.status === "running"
      ? "; writing…"
      : answer.status === "waiting"
        ? "; waits for the answer before it (one GPU: one answer at a time)"
        : "";
  return `${policyTokens} tokens written by the model, ${forcedTokens} inserted (tool results, corrections)${calls}${where}${seed !== undefined ? `; seed ${seed}` : ""}`;
}

export function AnswerColumn({ answer, format, seed }: { answer: PlaygroundAnswer; format: FormatName; seed: number | undefined }) {
  const segments = useMemo(() => liveSegments(answer.rollout, getFormat(format)), [answer.rollout, format]);
  const headingId = `answer-${answer.model}-title`;
  return (
    <section className="answer-column" aria-labelledby={headingId} data-model={answer.model} data-status={answer.status} data-testid={`answer-${answer.model}`}>
      <h3 id={headingId}>{answer.title}</h3>
      <p className="muted answer-stats" data-testid="playground-stats">
        {answerStats(answer, seed)}
      </p>
      {segments.length ? <Segments segments={segments} openResponses /> : <p className="muted">Nothing yet.</p>}
      {answer.error ? (
        <p className={answer.status === "stopped" ? "muted" : "warning"} role={answer.status === "stopped" ? undefined : "alert"}>
          {answer.error}
        </p>
      ) : null}
    </section>
  );
}
