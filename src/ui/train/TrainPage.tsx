// The Train page: the run's controls, progress and export, the settings, then
// live training curves, evaluation before and after, and the step's rollouts streaming.
import { useEffect } from "react";
import { currentTaskLabel, useDataStore } from "../data/dataStore";
import { type AppState, useAppStore } from "../store";
import { ChartsPanel } from "./ChartsPanel";
import { ConfigForm } from "./ConfigForm";
import { EvalTable } from "./EvalTable";
import { RolloutList } from "./RolloutList";
import { RunControls } from "./RunControls";
import { RunExportBar } from "./RunExportBar";
import { RunProgress } from "./RunProgress";
import { isActive } from "./runState";
import { loadSavedRuns } from "./runCommands";
import { type TrainState, useTrainStore } from "./trainStore";
import "./train.css";

const selectActive = (s: TrainState) => isActive(s.run.status);
const selectModel = (s: AppState) => (s.model.status === "loaded" ? s.model.model.label : undefined);
const selectTasks = () => currentTaskLabel();

export function TrainPage() {
  const active = useTrainStore(selectActive);
  const model = useAppStore(selectModel);
  const tasks = useDataStore(selectTasks);
  useEffect(() => {
    void loadSavedRuns();
  }, []);
  return (
    <div className="train-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Train</h2>
        <p className="muted">
          Model: {model ?? "none loaded"} · Tasks: {tasks} (change them on the <a href="#/data">Data page</a>)
        </p>
        <RunControls />
        <RunProgress />
        <RunExportBar />
      </section>
      <section className="panel" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <p className="muted">DAPO over LoRA adapters; each setting says what it does and the value the papers use.</p>
        <ConfigForm disabled={active} />
      </section>
      <ChartsPanel />
      <EvalTable />
      <RolloutList />
    </div>
  );
}
