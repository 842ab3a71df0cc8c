// One rollout of the step in progress: a one-line summary (tokens, tool calls,
// how it finished, reward and correctness once scored) and, when open, its text
// as segments or by token origin. Subscribes to its own rollout only, so a batch
// that touches one rollout re-renders one row.
import { memo, useCallback, useMemo, useState } from "react";
import { getFormat } from "../../rollout/formats";
import { liveSegments } from "../rollouts/liveRollout";
import { Segments } from "../playground/Segments";
// The segment styles live beside Segments, in the Playground's stylesheet.
import "../playground/playground.css";
import { OriginText } from "./OriginText";
import { useShallow } from "zustand/react/shallow";
import { isActive, pendingVerdict, type RolloutView } from "./runState";
import { type TrainState, useTrainStore } from "./trainStore";

const FORMAT = getFormat("tapo");
const selectShowForced = (s: TrainState) => s.showForced;

const selectScoring = (s: TrainState) => ({ scored: s.run.rollouts.scored, active: isActive(s.run.status) });

function Verdict({ view }: { view: RolloutView }) {
  const { scored, active } = useTrainStore(useShallow(selectScoring));
  const reward = view.result?.reward;
  if (!reward) {
    const text = pendingVerdict(view, scored, active);
    return text ? <span className="muted verdict-pending">{text}</span> : null;
  }
  return (
    <span className={`verdict ${reward.correct ? "correct" : "wrong"}`} data-correct={reward.correct}>
      {reward.correct ? "✓ correct" : "✗ wrong"} · reward {reward.total.toFixed(2)}
      {reward.format ? "" : " · bad format"}
    </span>
  );
}

function RolloutBody({ view, showForced }: { view: RolloutView; showForced: boolean }) {
  const { live, traceSegments } = view;
  const segments = useMemo(() => traceSegments ?? liveSegments(live, FORMAT), [traceSegments, live]);
  if (showForced && live.chunks.length > 0) return <OriginText chunks={live.chunks} />;
  if (segments.length === 0) return <p className="muted">Waiting for the first tokens…</p>;
  return (
    <>
      {showForced ? <p className="muted">This rollout was reloaded from its trace: token origins are not kept there.</p> : null}
      <Segments segments={segments} />
    </>
  );
}

export const RolloutRow = memo(function RolloutRow({ rolloutKey, initiallyOpen }: { rolloutKey: string; initiallyOpen: boolean }) {
  const select = useCallback((s: TrainState) => s.run.rollouts.byKey[rolloutKey], [rolloutKey]);
  const view = useTrainStore(select);
  const showForced = useTrainStore(selectShowForced);
  const [open, setOpen] = useState(initiallyOpen);
  if (!view) return null;
  const { live } = view;
  const calls = live.toolCalls.filter(Boolean).length;
  const bodyId = `rollout-${rolloutKey.replace(/\W/g, "-")}`;
  const reward = view.result?.reward;
  return (
    <li className="rollout" data-rollout={rolloutKey} data-finished={live.finish ?? ""} data-correct={reward ? String(reward.correct) : ""}>
      <div className="rollout-head">
        <button type="button" className="rollout-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          {view.traceSegments && !view.live.chunks.length ? `rollout ${view.questionIndex + 1}` : `question ${view.questionIndex + 1} · sample ${view.sampleIndex + 1}`}
        </button>
        <span className="muted">
          {live.policyTokens} sampled + {live.forcedTokens} forced tokens · {calls} tool call{calls === 1 ? "" : "s"} ·{" "}
          {live.finish ? `finished: ${live.finish}` : view.traceSegments ? "saved" : "writing…"}
        </span>
        <Verdict view={view} />
      </div>
      {view.result ? (
        <p className="rollout-question">
          <span className="muted">Q:</span> {view.result.question}
          {view.result.gold?.length ? <span className="muted"> · gold: {view.result.gold.join(" | ")}</span> : null}
        </p>
      ) : null}
      <div id={bodyId} hidden={!open}>
        {open ? <RolloutBody view={view} showForced={showForced} /> : null}
      </div>
    </li>
  );
});
