// The step's rollouts as they stream: the first few open, the rest one line
// each until opened, and at most a page of rows in the DOM at a time.
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { RolloutRow } from "./RolloutRow";
import { setShowForced, type TrainState, useTrainStore } from "./trainStore";

/** Rows rendered before "show more"; rows open at first. */
const PAGE = 32;
const OPEN_FIRST = 4;

const selectList = (s: TrainState) => ({ order: s.run.rollouts.order, step: s.run.rollouts.step, scored: s.run.rollouts.scored, showForced: s.showForced });

export function RolloutList() {
  const { order, step, scored, showForced } = useTrainStore(useShallow(selectList));
  const [limit, setLimit] = useState(PAGE);
  return (
    <section className="panel rollouts-panel" aria-labelledby="rollouts-title">
      <div className="rollouts-header">
        <h2 id="rollouts-title">{step >= 0 ? `Rollouts of step ${step}` : "Rollouts"}</h2>
        <label className="forced-toggle">
          <input type="checkbox" checked={showForced} onChange={(e) => setShowForced(e.currentTarget.checked)} /> Show forced tokens
        </label>
      </div>
      {showForced ? (
        <p className="legend">
          <span data-origin="policy">sampled by the policy (trained on)</span> · <mark className="forced">forced: tool output and corrections (left out of the loss)</mark>
        </p>
      ) : null}
      {order.length === 0 ? (
        <p className="muted">The rollouts of the step in progress appear here as the model writes them.</p>
      ) : (
        <>
          <p className="muted">
            {order.length} rollout{order.length === 1 ? "" : "s"}
            {scored ? ", scored" : ", being written"}
          </p>
          <ol className="rollout-list" aria-label={`rollouts of step ${step}`}>
            {order.slice(0, limit).map((key, i) => (
              <RolloutRow key={`${step}:${key}`} rolloutKey={key} initiallyOpen={i < OPEN_FIRST} />
            ))}
          </ol>
          {order.length > limit ? (
            <button type="button" onClick={() => setLimit(limit + PAGE)}>
              Show {Math.min(PAGE, order.length - limit)} more of {order.length - limit}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
