// The Traces page's calls into the trainer worker: list the runs saved in this browser (no model needed: the
// worker reads them from OPFS), and read one run's traces when the user picks it. Results and problems land in
// the traces store; `source` is the worker unless a test passes a stand-in.
import type { RunHistory, RunSummary } from "../../protocol/run";
import { trainer } from "../trainerWorker";
import { runTitle } from "./runChoices";
import {
  markListingRuns,
  markReadingRun,
  needsRead,
  runReadFailed,
  savedRunListFailed,
  selectRun,
  setReadTraces,
  setSavedRunList,
  useTracesStore,
} from "./tracesStore";

/** What the Traces page needs from the trainer worker. */
export type SavedRunSource = {
  listRuns(): Promise<RunSummary[]>;
  runHistory(runId: string): Promise<RunHistory>;
};

const NO_WORKER = "the trainer worker is not running (reload the page)";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let listing = 0;

/**
 * Lists the runs saved in this browser again. Only the newest of overlapping listings lands; `keep` is the run
 * this tab trains, whose traces stay even if the listing missed it.
 */
export async function listSavedRuns(keep?: string, source: SavedRunSource | undefined = trainer()): Promise<void> {
  const ticket = ++listing;
  if (!source) {
    savedRunListFailed(`Could not list the runs saved in this browser: ${NO_WORKER}.`);
    return;
  }
  markListingRuns();
  try {
    const runs = await source.listRuns();
    if (ticket === listing) setSavedRunList(runs, keep);
  } catch (error) {
    if (ticket === listing) savedRunListFailed(`Could not list the runs saved in this browser: ${messageOf(error)}. Reload the page to try again.`);
  }
}

/** Shows run `runId`; a saved run's traces are read from storage first when they are not here (or are older than its last checkpoint). */
export async function openRun(runId: string, source: SavedRunSource | undefined = trainer()): Promise<void> {
  if (useTracesStore.getState().selectedRun !== runId) selectRun(runId);
  await readIfNeeded(runId, source);
}

/** Reads saved run `runId`'s traces unless they are here and current; the shown run and trace stay as they are. */
async function readIfNeeded(runId: string, source: SavedRunSource | undefined): Promise<void> {
  const summary = useTracesStore.getState().saved.runs.find((r) => r.runId === runId);
  if (!summary || !needsRead(useTracesStore.getState(), summary)) return;
  const title = runTitle(summary);
  if (!source) {
    runReadFailed(runId, `Could not read the traces of ${title}: ${NO_WORKER}.`);
    return;
  }
  markReadingRun(runId);
  try {
    const history = await source.runHistory(runId);
    setReadTraces(runId, history.traces, summary.step);
  } catch (error) {
    runReadFailed(runId, `Could not read the traces of ${title}: ${messageOf(error)}. Try again; if it fails again, this run's saved files are damaged.`);
  }
}

/** Lists the saved runs again (the page opened, or this tab's run changed), then re-reads the picked run if it saved newer traces. */
export async function refreshSavedRuns(keep?: string, source: SavedRunSource | undefined = trainer()): Promise<void> {
  await listSavedRuns(keep, source);
  const picked = useTracesStore.getState().selectedRun;
  if (picked !== undefined) await readIfNeeded(picked, source);
}
