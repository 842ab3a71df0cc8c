// The built-in task set the Data page previews: both splits for a seed and
// counts, or the generator's error (too many questions asked of a category).
// The last answer is remembered, so re-renders do not regenerate it.
import { type BuiltinLevel, builtinTasks } from "../../tasks/builtin";
import type { BuiltinTask, TaskCategory } from "../../protocol/tasks";

export type BuiltinPreview = { ok: true; train: BuiltinTask[]; test: BuiltinTask[] } | { ok: false; message: string };

let last: { key: string; preview: BuiltinPreview } | undefined;

/** Generates both splits of the built-in tasks (the same ones training will use for this seed, counts and level). */
export function builtinPreview(seed: number, counts: Record<TaskCategory, number>, level: BuiltinLevel = "full"): BuiltinPreview {
  const key = JSON.stringify([seed, counts, level]);
  if (last?.key === key) return last.preview;
  let preview: BuiltinPreview;
  try {
    preview = { ok: true, train: builtinTasks({ seed, split: "train", counts, level }), test: builtinTasks({ seed, split: "test", counts, level }) };
  } catch (error) {
    preview = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  last = { key, preview };
  return preview;
}
