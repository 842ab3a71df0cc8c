// The Traces page's run picker: the runs saved in this browser, then other traces here (opened files). Picking a
// saved run reads its traces from the worker (openRun) unless they are here already.
import { useId } from "react";
import type { RunChoice } from "./runChoices";
import { openRun } from "./savedRunTraces";

function options(choices: readonly RunChoice[]) {
  return choices.map((c) => (
    <option key={c.id} value={c.id}>
      {c.label}
    </option>
  ));
}

export function RunPicker({ saved, other, value }: { saved: RunChoice[]; other: RunChoice[]; value?: string }) {
  const id = useId();
  if (saved.length + other.length === 0) return null;
  return (
    <div className="run-picker">
      <label htmlFor={id}>Run</label>
      <select id={id} value={value ?? ""} onChange={(e) => void openRun(e.currentTarget.value)}>
        {value === undefined ? (
          <option value="" disabled>
            Choose a run
          </option>
        ) : null}
        {saved.length > 0 ? <optgroup label="Saved in this browser">{options(saved)}</optgroup> : null}
        {other.length > 0 ? <optgroup label="Other traces">{options(other)}</optgroup> : null}
      </select>
    </div>
  );
}
