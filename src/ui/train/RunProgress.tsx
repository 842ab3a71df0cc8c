// Where the run stands: its status, step k of N, and the phase of the step in progress (generate, update, eval, checkpoint).
import { useShallow } from "zustand/react/shallow";
import type { StepPhase } from "../../protocol/run";
import { noSignalWarning, stepsDone } from "./runState";
import { type TrainState, useTrainStore } from "./trainStore";

const PHASE: Record<StepPhase, string> = {
  generate: "generating rollouts",
  update: "updating the adapter (mini-batches)",
  eval: "evaluating on held-out tasks",
  checkpoint: "saving a checkpoint",
};

const STATUS: Record<TrainState["run"]["status"], string> = {
  idle: "No run yet",
  starting: "Starting…",
  running: "Running",
  paused: "Paused",
  stopped: "Stopped",
  finished: "Finished",
  failed: "Failed",
  elsewhere: "In another tab",
};

const selectProgress = (s: TrainState) => ({
  status: s.run.status,
  message: s.run.message,
  pending: s.run.pending,
  runId: s.run.runId,
  steps: s.run.steps,
  done: stepsDone(s.run),
  phase: s.run.phase,
  checkpoint: s.run.lastCheckpoint,
  error: s.error,
  noSignal: noSignalWarning(s.run.metrics),
});

export function RunProgress() {
  const p = useTrainStore(useShallow(selectProgress));
  return (
    <div className="run-progress" data-status={p.status} aria-live="polite">
      <p className="run-status">
        <strong data-testid="run-status">{STATUS[p.status]}</strong>
        {p.runId ? <span className="muted"> · run {p.runId}</span> : null}
        {p.pending === "pause" ? <span> · pausing after this step…</span> : null}
        {p.pending === "stop" ? <span> · stopping after this step…</span> : null}
        {p.checkpoint !== undefined ? <span className="muted"> · checkpoint at step {p.checkpoint}</span> : null}
      </p>
      {p.steps > 0 ? (
        <label className="progress-row">
          <span>
            Run: step {p.done} of {p.steps}
          </span>
          <progress max={p.steps} value={p.done} />
        </label>
      ) : null}
      {p.phase ? (
        <label className="progress-row">
          <span>
            Step {p.phase.step}: {PHASE[p.phase.phase]} {p.phase.done} / {p.phase.total}
          </span>
          <progress max={Math.max(1, p.phase.total)} value={p.phase.done} />
        </label>
      ) : null}
      {p.status === "failed" && p.message ? (
        <p className="warning" role="alert">
          {p.message}
        </p>
      ) : p.message ? (
        <p className="muted">{p.message}</p>
      ) : null}
      {p.noSignal ? (
        <p className="warning" role="alert" data-testid="no-signal">
          {p.noSignal}
        </p>
      ) : null}
      {p.error ? (
        <p className="warning" role="alert">
          {p.error}
        </p>
      ) : null}
    </div>
  );
}
