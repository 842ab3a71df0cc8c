// The Data page's state in zustand: which tasks training uses (the built-in
// generator's seed and counts, or imported tasks with their test split), the
// import being previewed, the bundled corpus's size and the search backend.
// Serialisable only (the File being imported and the import's AbortController
// live in dataImport.ts). Actions are module-level; the Train page reads the
// choice with currentTaskSource() / currentTaskLabel() without a hook.
import { create } from "zustand";
import { type BuiltinLevel, DEFAULT_BUILTIN_COUNTS, DEFAULT_TINY_COUNTS } from "../../tasks/builtin";
import type { FieldMapping, ImportResult } from "../../tasks/import/row_schema";
import { TASK_CATEGORIES, type Task, type TaskCategory } from "../../protocol/tasks";
import { parseBackendSpec } from "../../tools/search/backends";
import type { TaskSource } from "../../protocol/run";
import { holdOutTestShare } from "../../tasks/held_out";

/** Column names typed in the mapping form; "" means "the default names" (question/prompt/problem, …). */
export type MappingForm = { question: string; answers: string; kind: string; data_source: string };

export type ImportOrigin = "file" | "hf";

/** An import shown for review before it is put to use. */
export type ImportDraft =
  | { status: "idle" }
  | { status: "reading"; origin: ImportOrigin; label: string; rowsRead: number; total?: number }
  | { status: "ready"; origin: ImportOrigin; label: string; result: ImportResult }
  | { status: "error"; origin: ImportOrigin; label: string; message: string }
  | { status: "cancelled"; origin: ImportOrigin; label: string };

/** Imported tasks in use, already split. */
export type ImportedTasks = { label: string; train: Task[]; test: Task[]; testShare: number };

export type HfForm = { dataset: string; config: string; split: string; maxRows: number };

export type BundledCorpusState = { status: "loading" } | { status: "ready"; documents: number } | { status: "error"; message: string };

export type DataPageState = {
  /** Which tasks training uses. */
  use: "builtin" | "imported";
  builtinSeed: number;
  /** "tiny" (the default, for the bundled tiny model): short questions; "full": TAPO-style ones for real models. */
  builtinLevel: BuiltinLevel;
  builtinCounts: Record<TaskCategory, number>;
  imported?: ImportedTasks;
  mapping: MappingForm;
  /** Fraction of an import held out as its test split. */
  testShare: number;
  hf: HfForm;
  draft: ImportDraft;
  /** Search backend spec for training ("local", "wikipedia", "searxng:<url>"); always one parseBackendSpec accepts. */
  searchBackend: string;
  /** Why the last backend the user typed was refused (searchBackend keeps the previous one). */
  searchBackendError?: string;
  bundledCorpus: BundledCorpusState;
};

export const DEFAULT_TEST_SHARE = 0.2;

const initialState: DataPageState = {
  use: "builtin",
  builtinSeed: 1,
  builtinLevel: "tiny",
  builtinCounts: { ...DEFAULT_TINY_COUNTS },
  mapping: { question: "", answers: "", kind: "", data_source: "" },
  testShare: DEFAULT_TEST_SHARE,
  hf: { dataset: "openai/gsm8k", config: "main", split: "train", maxRows: 1000 },
  draft: { status: "idle" },
  searchBackend: "local",
  bundledCorpus: { status: "loading" },
};

export const useDataStore = create<DataPageState>()(() => initialState);

/** Back to the initial state (tests call this between cases). */
export function resetDataStore(): void {
  useDataStore.setState(initialState, true);
}

/** The tasks training should use, as the trainer's TaskSource. */
export function currentTaskSource(): TaskSource {
  const s = useDataStore.getState();
  if (s.use === "imported" && s.imported) {
    return { kind: "tasks", label: s.imported.label, train: s.imported.train, test: s.imported.test };
  }
  return { kind: "builtin", seed: s.builtinSeed, counts: { ...s.builtinCounts }, level: s.builtinLevel };
}

/** One line naming the tasks in use, e.g. "built-in tasks, seed 1 (180 per split)". */
export function currentTaskLabel(): string {
  const source = currentTaskSource();
  if (source.kind === "tasks") return `${source.label} (${source.train.length} train, ${source.test.length} test)`;
  const perSplit = Object.values(source.counts ?? DEFAULT_BUILTIN_COUNTS).reduce((a, b) => a + (b ?? 0), 0);
  return `built-in tasks${source.level === "tiny" ? " (tiny level)" : ""}, seed ${source.seed} (${perSplit} per split)`;
}

/** The search backend spec training should use. */
export function currentSearchBackend(): string {
  return useDataStore.getState().searchBackend;
}

// ---- built-in tasks ----

/** Sets the built-in seed (a whole number in [0, 2^32)); other values are ignored. */
export function setBuiltinSeed(seed: number): void {
  if (Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32) useDataStore.setState({ builtinSeed: seed });
}

/** Switches the built-in level; the counts go back to that level's defaults. */
export function setBuiltinLevel(level: BuiltinLevel): void {
  useDataStore.setState({ builtinLevel: level, builtinCounts: { ...(level === "tiny" ? DEFAULT_TINY_COUNTS : DEFAULT_BUILTIN_COUNTS) } });
}

/** Sets how many tasks of a category each split gets (a whole number ≥ 0); other values are ignored. */
export function setBuiltinCount(category: TaskCategory, count: number): void {
  if (!TASK_CATEGORIES.includes(category) || !Number.isInteger(count) || count < 0) return;
  useDataStore.setState((s) => ({ builtinCounts: { ...s.builtinCounts, [category]: count } }));
}

/** Makes the built-in tasks the ones training uses (the imported ones stay, to switch back to). */
export function chooseBuiltinTasks(): void {
  useDataStore.setState({ use: "builtin" });
}

/** Makes the last imported tasks the ones training uses, if there are any. */
export function chooseImportedTasks(): void {
  if (useDataStore.getState().imported) useDataStore.setState({ use: "imported" });
}

// ---- import ----

export function setMappingField(field: keyof MappingForm, column: string): void {
  useDataStore.setState((s) => ({ mapping: { ...s.mapping, [field]: column } }));
}

/** The importer's FieldMapping for the form: blank fields are left out (the default names apply). */
export function fieldMappingOf(form: MappingForm): FieldMapping {
  const mapping: FieldMapping = {};
  for (const key of ["question", "answers", "kind", "data_source"] as const) {
    const column = form[key].trim();
    if (column !== "") mapping[key] = column;
  }
  return mapping;
}

/** Sets the test share (clamped to what holdOutTestShare accepts). */
export function setTestShare(share: number): void {
  if (Number.isFinite(share)) useDataStore.setState({ testShare: Math.min(0.5, Math.max(0, share)) });
}

export function setHfField<K extends keyof HfForm>(field: K, value: HfForm[K]): void {
  useDataStore.setState((s) => ({ hf: { ...s.hf, [field]: value } }));
}

export function setDraft(draft: ImportDraft): void {
  useDataStore.setState({ draft });
}

/** Puts the previewed import to use, split by the current test share; returns false when there is none. */
export function chooseDraftTasks(): boolean {
  const { draft, testShare } = useDataStore.getState();
  if (draft.status !== "ready") return false;
  const { train, test } = holdOutTestShare(draft.result.tasks, testShare);
  useDataStore.setState({ use: "imported", imported: { label: draft.label, train, test, testShare } });
  return true;
}

// ---- search ----

/** Sets the search backend if parseBackendSpec accepts it; otherwise keeps the previous one and records why. */
export function setSearchBackend(spec: string): boolean {
  try {
    parseBackendSpec(spec);
  } catch (error) {
    useDataStore.setState({ searchBackendError: error instanceof Error ? error.message : String(error) });
    return false;
  }
  useDataStore.setState({ searchBackend: spec.trim(), searchBackendError: undefined });
  return true;
}

export function clearSearchBackendError(): void {
  useDataStore.setState({ searchBackendError: undefined });
}

export function setBundledCorpus(state: BundledCorpusState): void {
  useDataStore.setState({ bundledCorpus: state });
}
