// The tasks training will use, in one line, with a way back to the other choice.
import { useShallow } from "zustand/react/shallow";
import { chooseBuiltinTasks, chooseImportedTasks, currentTaskLabel, type DataPageState, useDataStore } from "./dataStore";

const select = (s: DataPageState) => ({
  use: s.use,
  importedLabel: s.imported?.label,
  // Re-render when anything the label shows changes.
  seed: s.builtinSeed,
  level: s.builtinLevel,
  counts: s.builtinCounts,
  imported: s.imported,
});

export function TaskSourceSummary() {
  const { use, importedLabel } = useDataStore(useShallow(select));
  return (
    <div className="task-source" data-testid="task-source" data-kind={use}>
      <p>
        Training uses: <strong data-testid="task-source-label">{currentTaskLabel()}</strong>
      </p>
      {use === "imported" ? (
        <button type="button" onClick={chooseBuiltinTasks}>
          Switch to the built-in tasks
        </button>
      ) : importedLabel ? (
        <button type="button" onClick={chooseImportedTasks}>
          Switch back to {importedLabel}
        </button>
      ) : null}
    </div>
  );
}
