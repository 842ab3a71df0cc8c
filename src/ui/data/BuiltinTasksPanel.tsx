// Built-in tasks: the seed, how many questions of each category each split
// gets, both splits' sizes and a preview of their first questions.
import { useEffect, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { TASK_CATEGORIES, type TaskCategory } from "../../protocol/tasks";
import { type BuiltinPreview, builtinPreview } from "./builtinPreview";
import type { BuiltinLevel } from "../../tasks/builtin";
import { chooseBuiltinTasks, type DataPageState, setBuiltinCount, setBuiltinLevel, setBuiltinSeed, useDataStore } from "./dataStore";
import { TaskPreviewTable } from "./TaskPreviewTable";
import { WholeNumberField } from "./WholeNumberField";

const CATEGORY_HELP: Record<TaskCategory, string> = {
  compute: "compute: arithmetic that needs Python",
  fact1: "fact1: one search in the corpus",
  fact2: "fact2: two searches (two hops)",
  mixed: "mixed: a search, then a computation",
  easy: "easy: needs no tool",
};

const select = (s: DataPageState) => ({ seed: s.builtinSeed, level: s.builtinLevel, counts: s.builtinCounts, inUse: s.use === "builtin" });

/** Generating is synchronous: keep it to about a second of work at most. */
const MAX_PER_CATEGORY = 1000;

/** Waits a moment after the last change before regenerating (a few hundred ms of work on the main thread). */
const PREVIEW_DELAY_MS = 150;

export function BuiltinTasksPanel() {
  const { seed, level, counts, inUse } = useDataStore(useShallow(select));
  const [preview, setPreview] = useState<{ seed: number; result: BuiltinPreview } | undefined>();
  useEffect(() => {
    const timer = setTimeout(() => setPreview({ seed, result: builtinPreview(seed, counts, level) }), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [seed, counts, level]);
  return (
    <section className="panel builtin-tasks" aria-labelledby="builtin-title">
      <h2 id="builtin-title">Built-in tasks</h2>
      <p>
        Questions about a fictional world that only the bundled search corpus describes, and computations only Python does
        reliably, so the model has to learn when a tool helps. The train and test splits never share a question or a
        named entity, whatever the seed.
      </p>
      <fieldset className="builtin-settings">
        <legend>Seed and questions per split</legend>
        <WholeNumberField label="Seed" name="builtin-seed" value={seed} min={0} max={2 ** 32 - 1} onCommit={setBuiltinSeed} />
        <label className="number-field builtin-level">
          <span>Level</span>
          <select name="builtin-level" value={level} onChange={(e) => setBuiltinLevel(e.target.value as BuiltinLevel)}>
            <option value="tiny">tiny: short questions for the bundled tiny model (a small world of two-syllable names; Python sees the numbers as nums)</option>
            <option value="full">full: TAPO-style questions for Qwen2.5</option>
          </select>
        </label>
        {TASK_CATEGORIES.map((c) => (
          <WholeNumberField key={c} label={CATEGORY_HELP[c]} name={`count-${c}`} value={counts[c]} min={0} max={MAX_PER_CATEGORY} onCommit={(n) => setBuiltinCount(c, n)} />
        ))}
      </fieldset>
      <div className="builtin-actions">
        {inUse ? (
          <p className="in-use">Training uses these built-in tasks.</p>
        ) : (
          <button type="button" onClick={chooseBuiltinTasks}>
            Use built-in tasks
          </button>
        )}
      </div>
      <div aria-live="polite" data-testid="builtin-preview" data-seed={preview?.seed} data-status={preview ? (preview.result.ok ? "ready" : "error") : "generating"}>
        {!preview ? (
          <p className="muted">Generating the questions…</p>
        ) : preview.result.ok ? (
          <>
            <p data-testid="builtin-split-sizes">
              {preview.result.train.length} train tasks and {preview.result.test.length} test tasks.
            </p>
            <TaskPreviewTable caption="Train split" tasks={preview.result.train} testId="builtin-train" />
            <TaskPreviewTable caption="Test split" tasks={preview.result.test} testId="builtin-test" />
          </>
        ) : (
          <p className="warning" role="alert">
            These counts cannot be generated: {preview.result.message}.
          </p>
        )}
      </div>
    </section>
  );
}
