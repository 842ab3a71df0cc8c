// The task item every part of training reads: a question, its gold answers,
// and how to grade it. Built-in tasks also say which category they come
// from and which tools they need, so evaluation can measure adaptive tool use.

/** How an answer is graded: math = normalised exact / numeric equivalence, qa = normalised exact match or substring, calc = numeric tolerance. */
export type TaskKind = "math" | "qa" | "calc";

/** Built-in categories: compute needs Python, fact1/fact2 need one or two searches, mixed needs a search then a computation, easy needs no tool. */
export type TaskCategory = "compute" | "fact1" | "fact2" | "mixed" | "easy";

/** A tool a task cannot be solved without. */
export type ToolNeed = "python" | "search";

export const TASK_KINDS: readonly TaskKind[] = ["math", "qa", "calc"];
export const TASK_CATEGORIES: readonly TaskCategory[] = ["compute", "fact1", "fact2", "mixed", "easy"];

/** One task, built-in or imported. `answers` holds at least one non-empty string. */
export type Task = {
  id: string;
  question: string;
  answers: string[];
  /** Absent on imported rows that do not say; graders treat that as the default (exact match). */
  kind?: TaskKind;
  category?: TaskCategory;
  data_source: string;
  needs?: ToolNeed[];
};

/** A task from the built-in generator: every field present. */
export type BuiltinTask = Required<Task> & { data_source: "tapo-builtin" };

export type TaskSplit = "train" | "test";
