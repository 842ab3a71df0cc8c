// A saved run's name and note: shown in the saved-run list, kept beside the run (label.json), editable any time.
import { useState } from "react";
import { RUN_LABEL_LIMITS, type RunSummary } from "../../protocol/run";
import { labelSavedRun } from "./runCommands";

export function RunLabelForm({ run }: { run: RunSummary }) {
  const [name, setName] = useState(run.name ?? "");
  const [note, setNote] = useState(run.note ?? "");
  const [problem, setProblem] = useState<string>();
  const changed = name.trim() !== (run.name ?? "") || note.trim() !== (run.note ?? "");
  return (
    <form
      className="run-label"
      aria-label={`Name and note of run ${run.runId}`}
      onSubmit={(e) => {
        e.preventDefault();
        void labelSavedRun(run.runId, { name, note }).then(setProblem);
      }}
    >
      <label>
        Run name <input type="text" value={name} maxLength={RUN_LABEL_LIMITS.name} onChange={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Note <textarea rows={1} value={note} maxLength={RUN_LABEL_LIMITS.note} onChange={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={!changed}>
        Save name and note
      </button>
      {problem ? (
        <span className="warning" role="alert">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
