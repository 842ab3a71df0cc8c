// What the Traces page says above the traces: why the saved runs could not be listed, that there is nothing yet,
// that a picked run's traces are being read (or could not be, with "Try again"), that a run has none yet, or
// that another tab still trains the run shown.
import type { RunSummary } from "../../protocol/run";
import { hrefFor } from "../route";
import { runTitle } from "./runChoices";
import { openRun } from "./savedRunTraces";
import type { RunRead, SavedRunList } from "./tracesStore";

type Props = {
  saved: SavedRunList;
  /** Whether the picker offers any run at all. */
  anyRun: boolean;
  /** The shown run's id, its saved summary (if saved) and how far it was read. */
  run?: string;
  summary?: RunSummary;
  read?: RunRead;
  /** The shown run's traces, when they are here (undefined: not read yet). */
  traceCount?: number;
  readAtStep?: number;
};

export function RunNotes({ saved, anyRun, run, summary, read, traceCount, readAtStep }: Props) {
  const title = summary ? runTitle(summary) : run;
  return (
    <>
      {saved.status === "failed" ? (
        <p className="warning" role="alert" data-testid="saved-runs-error">
          {saved.error}
        </p>
      ) : null}
      {!anyRun && (saved.status === "unlisted" || saved.status === "listing") ? (
        <p className="muted" role="status">
          Listing the runs saved in this browser…
        </p>
      ) : null}
      {!anyRun && (saved.status === "listed" || saved.status === "failed") ? (
        <p className="muted">
          No traces yet. Start a run on the <a href={hrefFor("train")}>Train page</a> and its rollouts appear here as each step finishes, or open a
          traces.jsonl that <code>tapo train --out</code> wrote.
        </p>
      ) : null}
      {anyRun && run === undefined ? <p className="muted">Pick a run above to read its traces.</p> : null}
      {read?.status === "reading" ? (
        <p className="muted" role="status" data-testid="run-reading">
          Reading the traces of {title}…
        </p>
      ) : null}
      {read?.status === "failed" && run !== undefined ? (
        <div className="warning run-read-error">
          <p role="alert" data-testid="run-read-error">
            {read.error}
          </p>
          <button type="button" onClick={() => void openRun(run)}>
            Try again
          </button>
        </div>
      ) : null}
      {traceCount === 0 && read?.status !== "reading" ? (
        <p className="muted" data-testid="run-no-traces">
          {title} has no traces yet: a run saves its traces as each step finishes.
        </p>
      ) : null}
      {summary?.elsewhere && readAtStep !== undefined ? (
        <p className="muted">
          {title} is training in another tab: its traces up to step {readAtStep} (its last checkpoint) are shown. Open this page again for newer ones.
        </p>
      ) : null}
    </>
  );
}
