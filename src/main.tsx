// The page entry: mounts the app inside the error boundary, starts the trainer worker, asks before the tab is left
// during a run or a download, and reloads saved runs.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { ErrorBoundary } from "./ui/ErrorBoundary";
import { installLeaveGuard } from "./ui/leaveGuard";
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
installLeaveGuard();
// Saved runs (OPFS, in the worker) come back after a reload whichever page opens first: charts and traces.
void loadSavedRuns();
