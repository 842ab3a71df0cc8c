// Where the run stands: its status, step k of N, its pace, the GPU memory it planned, and the phase of the step in
// progress (generate, update, eval, checkpoint).
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { StepPhase } from "../../protocol/run";
import { formatDuration } from "../../sources/progress";
import { formatBytes } from "../../util/format_bytes";
import { runPace, stepsDone } from "./runState";
import { noSignalWarning } from "../../rl/no_signal";
import { type TrainState, useTrainStore } from "./trainStore";

const PHASE: Record<StepPhase, string> = {
  generate: "generating rollouts",
  update: "log-probs and adapter updates (mini-batches)",
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
  metrics: s.run.metrics,
  memory: s.run.memory,
});

const round = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toPrecision(2));

export function RunProgress() {
  const p = useTrainStore(useShallow(selectProgress));
  const pace = useMemo(() => runPace(p.metrics, p.steps), [p.metrics, p.steps]);
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
      {pace ? (
        <p className="muted run-pace" data-testid="run-pace">
          {round(pace.secondsPerStep)} s a step
          {pace.secondsLeft > 0 && (p.status === "running" || p.status === "paused") ? `, about ${formatDuration(pace.secondsLeft)} of steps left` : ""}
          {pace.generateTokensPerSecond !== undefined ? ` · rollouts ${round(pace.generateTokensPerSecond)} tokens/s` : ""}
          {pace.trainTokensPerSecond !== undefined ? ` · update ${round(pace.trainTokensPerSecond)} tokens/s` : ""}
        </p>
      ) : null}
      {p.memory ? (
        <p className="muted" data-testid="run-memory">
          GPU memory planned: {formatBytes(p.memory.total)} (base weights {formatBytes(p.memory.weights)}, adapter and optimizer{" "}
          {formatBytes(p.memory.trainable)}, generation {formatBytes(p.memory.generation)}, update {formatBytes(p.memory.update)})
        </p>
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
