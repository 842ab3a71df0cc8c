// Picks saved runs to overlay on the charts: one checkbox a saved run (the
// shown run left out), each saying what it is; a run being read, or one that
// could not be read, says so beside its name.
import type { RunSummary } from "../../protocol/run";
import type { ComparedRun } from "./chartViewStore";
import { runLabel } from "./chartViewStore";
import { compareRun } from "./compareCommands";

type Props = { shownRunId: string | undefined; savedRuns: readonly RunSummary[]; compared: Record<string, ComparedRun> };

export function CompareRunsPicker({ shownRunId, savedRuns, compared }: Props) {
  const others = savedRuns.filter((r) => r.runId !== shownRunId);
  const count = others.filter((r) => compared[r.runId]).length;
  return (
    <details className="compare-runs" open={count > 0 ? true : undefined}>
      <summary>Compare with saved runs{count > 0 ? ` (${count} overlaid)` : ""}</summary>
      {others.length === 0 ? (
        <p className="muted">No other run is saved in this browser yet: each run you train is kept, and can be overlaid here.</p>
      ) : (
        <ul>
          {others.map((r) => {
            const c = compared[r.runId];
            return (
              <li key={r.runId}>
                <label>
                  <input type="checkbox" checked={c !== undefined} onChange={(e) => void compareRun(r.runId, e.currentTarget.checked)} /> {runLabel(r)}{" "}
                  <span className="muted">
                    · {r.model} · step {r.step} of {r.steps}
                  </span>
                </label>
                {c && c.error ? <span className="warning"> {c.error}</span> : c && c.metrics === undefined ? <span className="muted"> reading…</span> : null}
              </li>
            );
          })}
        </ul>
      )}
    </details>
  );
}
