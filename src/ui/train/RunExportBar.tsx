// Saves the shown run outside the browser: its adapter (a .zip, or a folder where the browser lets the page
// write one), its traces, metrics and evaluations as the CLI writes them, metrics as CSV, its settings as
// the config file `tapo train --config` takes, and, to scale out, the experiment as a verl or TRL recipe
// (the notes the recipe carries are shown under the buttons).
import { useShallow } from "zustand/react/shallow";
import { RecipeButtons } from "./RecipeButtons";
import { folderPicker } from "./runFiles";
import { type RunFile, saveRecipe, saveRunFile } from "./runCommands";
import { type TrainState, useTrainStore } from "./trainStore";

const selectShown = (s: TrainState) => ({ runId: s.run.runId, saved: s.savedRuns.some((r) => r.runId === s.run.runId && r.step > 0) });

const FILES: [RunFile, string][] = [
  ["traces", "traces.jsonl"],
  ["metrics", "metrics.jsonl"],
  ["evals", "evals.jsonl"],
  ["metrics-csv", "metrics.csv"],
  ["config", "config.json"],
];

export function RunExportBar() {
  const { runId, saved } = useTrainStore(useShallow(selectShown));
  if (!runId || !saved) return null;
  const canPickFolder = folderPicker() !== undefined;
  return (
    <div className="run-export" role="group" aria-label="Save this run">
      <span className="muted">Save run {runId}:</span>
      <button type="button" onClick={() => void saveRunFile(runId, "adapter-zip")}>
        Adapter (.zip)
      </button>
      {canPickFolder ? (
        <button type="button" onClick={() => void saveRunFile(runId, "adapter-folder")}>
          Adapter to a folder…
        </button>
      ) : null}
      {FILES.map(([file, label]) => (
        <button type="button" key={file} onClick={() => void saveRunFile(runId, file)}>
          {label}
        </button>
      ))}
      <RecipeButtons label="Scale out:" subject={runId} save={(engine) => saveRecipe(runId, engine)} />
    </div>
  );
}
