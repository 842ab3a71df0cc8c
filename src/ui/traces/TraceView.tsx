// One trace in full: question, gold answers, model, step, reward, correctness and token counts, then its
// segments. Used by the Traces page and by permalinks. All trace text is rendered as text, never as HTML.
import type { ReactNode } from "react";
import type { Trace } from "../../protocol/trace";
import { Segments } from "../playground/Segments";

export function Outcome({ trace }: { trace: Trace }) {
  const correct = trace.reward?.correct;
  if (correct === undefined) return <span className="outcome outcome-unscored">not scored</span>;
  return correct ? <span className="outcome outcome-correct">✓ correct</span> : <span className="outcome outcome-incorrect">✗ incorrect</span>;
}

function formatCreated(created: string): string {
  const date = new Date(created);
  return Number.isNaN(date.getTime()) ? created : date.toLocaleString();
}

export function TraceView({ trace, actions }: { trace: Trace; actions?: ReactNode }) {
  const { reward, tokens } = trace;
  return (
    <article className="trace-view" aria-label="Trace" data-testid="trace-view">
      <div className="trace-head">
        <Outcome trace={trace} />
        {actions}
      </div>
      <h3>Question</h3>
      <p className="trace-question" data-testid="trace-question">
        {trace.question}
      </p>
      {trace.gold && trace.gold.length > 0 ? (
        <p className="trace-gold">
          <span className="muted">Gold answer{trace.gold.length > 1 ? "s" : ""}: </span>
          {trace.gold.join(" · ")}
        </p>
      ) : null}
      <dl className="trace-meta">
        <dt>Model</dt>
        <dd>{trace.model}</dd>
        <dt>Step</dt>
        <dd>{trace.step ?? "—"}</dd>
        <dt>Reward</dt>
        <dd>{reward ? reward.total.toFixed(3) : "—"}</dd>
        {reward ? (
          <>
            <dt>Format</dt>
            <dd>{reward.format ? "followed" : "broken"}</dd>
            <dt>Overlong penalty</dt>
            <dd>{reward.overlong.toFixed(3)}</dd>
            {reward.tool !== undefined ? (
              <>
                <dt>Tool reward</dt>
                <dd>{reward.tool.toFixed(3)}</dd>
              </>
            ) : null}
          </>
        ) : null}
        <dt>Tokens</dt>
        <dd>{tokens ? `${tokens.policy} written by the model, ${tokens.forced} forced (tool output)` : "—"}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={trace.created}>{formatCreated(trace.created)}</time>
        </dd>
      </dl>
      <h3>Rollout</h3>
      {trace.segments.length > 0 ? <Segments segments={trace.segments} /> : <p className="muted">The model wrote nothing.</p>}
    </article>
  );
}
