// The import being reviewed: progress while it reads, then the parsed rows,
// the skipped rows with their reasons, the test share and "Use these tasks";
// or the importer's error (the tasks in use stay as they were).
import { useShallow } from "zustand/react/shallow";
import type { ImportResult } from "../../tasks/import/row_schema";
import { chooseDraftTasks, type DataPageState, setTestShare, useDataStore } from "./dataStore";
import { TaskPreviewTable } from "./TaskPreviewTable";
import { MAX_TEST_SHARE, testCountFor } from "../../tasks/held_out";
import { WholeNumberField } from "./WholeNumberField";

const SKIPPED_SHOWN = 20;

const select = (s: DataPageState) => ({ draft: s.draft, testShare: s.testShare, imported: s.imported, use: s.use });

function SkippedRows({ result }: { result: ImportResult }) {
  if (result.skippedCount === 0) return <p className="muted">No row was skipped.</p>;
  const shown = result.skipped.slice(0, SKIPPED_SHOWN);
  return (
    <table className="task-table skipped-table" data-testid="skipped-rows">
      <caption>
        Skipped rows <span className="muted">({result.skippedCount} in all{result.skippedCount > shown.length ? `, first ${shown.length} shown` : ""})</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Why it was skipped</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((s) => (
          <tr key={s.row}>
            <td>{s.row}</td>
            <td>{s.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportPreview() {
  const { draft, testShare, imported, use } = useDataStore(useShallow(select));
  if (draft.status === "idle") return null;
  const inUse = use === "imported" && imported?.label === draft.label;
  return (
    <div className="import-preview" aria-live="polite" data-testid="import-preview" data-status={draft.status}>
      <h3>Preview of {draft.label}</h3>
      {draft.status === "reading" ? (
        <div className="import-progress">
          <progress aria-label={`Reading ${draft.label}`} max={draft.total ?? undefined} value={draft.total ? draft.rowsRead : undefined} />
          <p>
            Reading {draft.label}…{draft.total ? ` ${draft.rowsRead} of ${draft.total} rows` : draft.rowsRead > 0 ? ` ${draft.rowsRead} rows` : ""}
          </p>
        </div>
      ) : null}
      {draft.status === "cancelled" ? <p role="status">The import of {draft.label} was cancelled; the tasks in use are unchanged.</p> : null}
      {draft.status === "error" ? (
        <div className="warning" role="alert" data-testid="import-error">
          <p>Could not import {draft.label}: {draft.message}</p>
          <p>The tasks in use are unchanged.</p>
        </div>
      ) : null}
      {draft.status === "ready" ? (
        <>
          <p data-testid="import-summary">
            {draft.result.tasks.length} tasks from {draft.result.rowsRead} rows; {draft.result.skippedCount} skipped.
          </p>
          <TaskPreviewTable caption="Parsed rows" tasks={draft.result.tasks} limit={8} testId="parsed-rows" />
          <SkippedRows result={draft.result} />
          <div className="use-import">
            <WholeNumberField
              label="Test share, % held out for evaluation"
              name="test-share"
              value={Math.round(testShare * 100)}
              min={0}
              max={MAX_TEST_SHARE * 100}
              onCommit={(pct) => setTestShare(pct / 100)}
            />
            <p data-testid="split-sizes">
              {draft.result.tasks.length - testCountFor(draft.result.tasks.length, testShare)} train,{" "}
              {testCountFor(draft.result.tasks.length, testShare)} test (chosen by a hash of each task, so the same file always splits the same way).
            </p>
            <button type="button" onClick={() => chooseDraftTasks()}>
              Use these tasks
            </button>
            {inUse && imported ? (
              <p className="in-use">
                Training uses {imported.label}: {imported.train.length} train, {imported.test.length} test tasks.
              </p>
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
