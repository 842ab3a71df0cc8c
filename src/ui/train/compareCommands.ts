// The Train page's run comparison: overlaying a saved run reads its history
// and settings from the trainer worker (the charts and the settings table fill
// in when they arrive); a run that cannot be read says why in its place.
import { trainer } from "../trainerWorker";
import { addCompared, removeCompared, setComparedError, setComparedHistory, useChartViewStore } from "./chartViewStore";
import { useTrainStore } from "./trainStore";

/** Overlays saved run `runId` on the charts, or stops overlaying it when `on` is false. */
export async function compareRun(runId: string, on: boolean): Promise<void> {
  if (!on) {
    removeCompared(runId);
    return;
  }
  const summary = useTrainStore.getState().savedRuns.find((r) => r.runId === runId);
  const remote = trainer();
  if (!summary || !remote || useChartViewStore.getState().compared[runId]) return;
  addCompared(summary);
  try {
    const [history, request] = await Promise.all([remote.runHistory(runId), remote.runRequest(runId)]);
    setComparedHistory(runId, { metrics: history.metrics, evals: history.evals, request });
  } catch (error) {
    setComparedError(runId, `could not read it: ${error instanceof Error ? error.message : String(error)}`);
  }
}
