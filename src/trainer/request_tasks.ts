// What a run's request names, resolved without the GPU engine: its train and
// held-out tasks (built-in, at a level or by category, or imported) and its
// rollout format (a preset, or overrides of the tapo preset, checked). Shared
// by the trainer (run_setup.ts) and `tapo recipe`, which runs in plain Node.
import type { RolloutFormat } from "../protocol/format";
import type { TaskSource, TrainRequest } from "../protocol/run";
import type { Task } from "../protocol/tasks";
import { getFormat } from "../rollout/formats";
import { RunSetupError } from "../rl/run_setup_error";
import { builtinTasks } from "../tasks/builtin";

/** The train and test tasks a source names. */
export function tasksOf(source: TaskSource): { train: Task[]; test: Task[]; label: string } {
  if (source.kind === "tasks") return { train: source.train, test: source.test, label: source.label };
  const counts = source.counts ? { compute: 0, fact1: 0, fact2: 0, mixed: 0, easy: 0, ...source.counts } : undefined;
  const level = source.level ?? "full";
  const opts = (split: "train" | "test") => ({ seed: source.seed, split, level, ...(counts ? { counts } : {}) });
  return { train: builtinTasks(opts("train")), test: builtinTasks(opts("test")), label: `built-in tasks (${level === "tiny" ? "tiny level, " : ""}seed ${source.seed})` };
}

/** A request's format: a preset by name, or overrides of the tapo preset (checked for the fields a rollout reads). */
export function formatOf(spec: TrainRequest["format"]): RolloutFormat {
  if (spec === undefined || typeof spec === "string") return getFormat(spec ?? "tapo");
  const format = { ...getFormat("tapo"), ...spec } as RolloutFormat;
  if (!Array.isArray(format.system) || !format.system.every((l) => typeof l === "string")) {
    throw new RunSetupError("the format's system prompt must be a list of lines (strings)");
  }
  if (typeof format.user !== "string" || !format.user.includes("{question}")) {
    throw new RunSetupError('the format\'s user turn must be a string containing "{question}"');
  }
  return format;
}
