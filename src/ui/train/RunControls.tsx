// Start, pause, resume and stop, each enabled by the run's status; and resuming a run saved in this browser.
import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore, type AppState } from "../store";
import { RunLabelForm } from "./RunLabelForm";
import { isActive } from "./runState";
import { deleteSavedRun, pauseTraining, resumeSavedRun, resumeTraining, startTraining, stopTraining, viewSavedRun } from "./runCommands";
import { readForm } from "./trainForm";
import { type TrainState, useTrainStore } from "./trainStore";

const selectControls = (s: TrainState) => ({ status: s.run.status, pending: s.run.pending });
const selectForm = (s: TrainState) => s.form;
const selectSaved = (s: TrainState) => s.savedRuns;
const selectShownId = (s: TrainState) => s.run.runId;
const selectLoaded = (s: AppState) => s.model.status === "loaded";

export function RunControls() {
  const { status, pending } = useTrainStore(useShallow(selectControls));
  const form = useTrainStore(selectForm);
  const savedRuns = useTrainStore(selectSaved);
  const loaded = useAppStore(selectLoaded);
  const formOk = useMemo(() => readForm(form).problems.length === 0, [form]);
  // Any saved run can go on: a finished one continues to a larger step.
  const resumable = savedRuns;
  const shownId = useTrainStore(selectShownId);
  // A pick holds while the same run is shown; once another is shown (a new run, or the one picked), the list follows it.
  const [picked, setPicked] = useState<{ shown: string | undefined; runId: string }>({ shown: undefined, runId: "" });
  const chosen = picked.shown === shownId ? picked.runId : (shownId ?? "");
  // "Continue to step", per saved run: starts at the run's own step count.
  const [targets, setTargets] = useState<Record<string, string>>({});
  const active = isActive(status);
  const choice = resumable.some((r) => r.runId === chosen) ? chosen : (resumable[0]?.runId ?? "");
  const chosenRun = resumable.find((r) => r.runId === choice);
  const targetText = targets[choice] ?? String(chosenRun?.steps ?? "");
  const target = Number(targetText);
  const targetOk = chosenRun !== undefined && Number.isInteger(target) && target >= chosenRun.steps;
  return (
    <div className="run-controls">
      <div className="run-buttons" role="group" aria-label="Run controls">
        <button type="button" className="primary" disabled={active || !loaded || !formOk} onClick={() => void startTraining()}>
          Start
        </button>
        <button type="button" disabled={status !== "running" || pending !== undefined} onClick={pauseTraining}>
          Pause
        </button>
        <button type="button" disabled={status !== "paused"} onClick={resumeTraining}>
          Resume
        </button>
        <button type="button" disabled={!(status === "running" || status === "paused") || pending === "stop"} onClick={stopTraining}>
          Stop
        </button>
      </div>
      {resumable.length > 0 ? (
        <div className="saved-runs">
          <label>
            Saved run{" "}
            <select
              value={choice}
              disabled={active}
              onChange={(e) => {
                const runId = e.currentTarget.value;
                setPicked({ shown: shownId, runId });
                void viewSavedRun(runId);
              }}
            >
              {resumable.map((r) => (
                <option key={r.runId} value={r.runId}>
                  {r.name ? `${r.name} · ` : ""}
                  {r.runId} · {r.model} · step {r.step} of {r.steps} · {r.elsewhere ? "training in another tab" : r.status}
                </option>
              ))}
            </select>
          </label>
          <label>
            Continue to step{" "}
            <input
              type="number"
              inputMode="numeric"
              min={chosenRun?.steps ?? 1}
              value={targetText}
              disabled={active || choice === "" || chosenRun?.elsewhere === true}
              aria-invalid={!targetOk}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setTargets((t) => ({ ...t, [choice]: value }));
              }}
            />
          </label>
          <button type="button" disabled={active || !loaded || !targetOk || chosenRun?.elsewhere === true} onClick={() => void resumeSavedRun(choice, target)}>
            Resume run
          </button>
          <button type="button" disabled={active || choice === "" || chosenRun?.elsewhere === true} onClick={() => void deleteSavedRun(choice)}>
            Delete run
          </button>
        </div>
      ) : null}
      {chosenRun ? <RunLabelForm key={`${chosenRun.runId}:${chosenRun.name ?? ""}:${chosenRun.note ?? ""}`} run={chosenRun} /> : null}
      {chosenRun && !targetOk && !active ? <p className="muted">Continue to a whole step of at least {chosenRun.steps}.</p> : null}
      {!loaded && !active ? <p className="muted">Load a model on the Model page first (the bundled tiny model trains in minutes).</p> : null}
      {!formOk && !active ? <p className="muted">Fix the settings below to start.</p> : null}
      {chosenRun?.elsewhere && !active ? (
        <p className="muted" data-testid="run-elsewhere">
          Run {chosenRun.runId} is training in another tab: control it there. Once that tab stops it or closes, it can be resumed here.
        </p>
      ) : chosenRun && !active ? (
        <p className="muted">Resuming continues run {chosenRun.runId} from its last checkpoint, with the tasks and settings it was started with, up to the step above.</p>
      ) : null}
    </div>
  );
}
