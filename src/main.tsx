// The page entry: mounts the app inside the error boundary, starts the trainer worker and reloads saved runs.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { ErrorBoundary } from "./ui/ErrorBoundary";
import { startTrainerWorker } from "./ui/trainerWorker";
import { loadSavedRuns } from "./ui/train/runCommands";
import "./ui/styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
startTrainerWorker();
// Saved runs (OPFS, in the worker) come back after a reload whichever page opens first: charts and traces.
void loadSavedRuns();
