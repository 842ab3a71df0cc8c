// The Model page's state in zustand: the chosen preset and quantization, the
// chosen model source, the running download's progress, and the cached models.
// Serialisable only; the chosen FileSet (File objects, HTTP sources) and the
// download's AbortController live in module variables beside the store.
// Actions are module-level functions; resetModelStore() is for tests.
import { create } from "zustand";
import type { FileSet } from "../../io/source";
import { LoadCancelledError } from "../../loader/load_progress";
import {
  type CachedModel,
  cachedFileSet,
  deleteCachedModel,
  downloadModel,
  isCacheAvailable,
  listCachedModels,
  pinnedCommit,
} from "../../sources/cache";
import { hubFileSet, parseRepoId } from "../../sources/hub";
import { DEFAULT_BUDGET_BYTES, defaultQuantization, type Quantization } from "../../sources/presets";
import type { DownloadProgress } from "../../sources/progress";
import { type ModelLayout, selectModelFiles, totalBytes } from "../../sources/select";
import { urlModelFileSet } from "../../sources/url";

/** Where the model to load comes from (serialisable; the files themselves are in chosenFileSet()). */
export type ModelSource =
  | { kind: "cached"; id: string }
  | { kind: "hub"; repoId: string; revision?: string }
  | { kind: "url"; url: string }
  | { kind: "local"; label: string; layout: ModelLayout; files: { name: string; size: number }[] }
  | { kind: "bundled" };

export type ChosenModel = { source: ModelSource; quantization: Quantization; bytes: number };

export type DownloadState =
  | { status: "idle" }
  | { status: "running"; id: string; progress: Omit<DownloadProgress, "secondsLeft"> & { secondsLeft: number | null } }
  | { status: "done"; id: string }
  | { status: "cancelled"; id: string }
  | { status: "error"; id: string; message: string };

export type CacheState =
  | { status: "loading" }
  | { status: "ready"; models: CachedModel[] }
  | { status: "unavailable"; message: string };

export type ModelPageState = {
  /** What downloaded and picked models load with, and what the estimates assume (the bundled model is always f32). */
  quantization: Quantization;
  /** The choice the loaded model came from (the same object while nothing about the choice changed). */
  loadedChoice?: ChosenModel;
  /** The preset row the estimate details describe. */
  selectedPreset: string;
  /** GPU memory budget for the estimate, bytes. */
  budget: number;
  chosen?: ChosenModel;
  download: DownloadState;
  cache: CacheState;
  /** The last problem with a source the user gave (bad id, missing files), shown beside the forms. */
  sourceError?: string;
  /** What is in progress while no download runs ("listing files of …"). */
  busy?: string;
};

/** The bundled tiny model, chosen at start: it works offline and trains on a CPU. Kept in f32 (it is a few MB). */
export const BUNDLED_CHOICE: ChosenModel = { source: { kind: "bundled" }, quantization: defaultQuantization(true), bytes: 0 };

const initialState: ModelPageState = {
  quantization: defaultQuantization(false),
  selectedPreset: "Qwen/Qwen2.5-0.5B-Instruct",
  budget: DEFAULT_BUDGET_BYTES,
  chosen: BUNDLED_CHOICE,
  download: { status: "idle" },
  cache: { status: "loading" },
};

export const useModelStore = create<ModelPageState>()(() => initialState);

let chosenFiles: FileSet | undefined;
let downloadAbort: AbortController | undefined;

/** Back to the initial state (tests call this between cases). */
export function resetModelStore(): void {
  downloadAbort?.abort();
  downloadAbort = undefined;
  chosenFiles = undefined;
  useModelStore.setState(initialState, true);
}

/**
 * Sets the quantization of downloaded and picked models (the estimates follow, and so does the chosen model
 * unless it is the bundled one, which always loads in f32 as the CLI's `--model tiny` does by default).
 */
export function setQuantization(q: Quantization): void {
  const chosen = useModelStore.getState().chosen;
  const follows = chosen !== undefined && chosen.source.kind !== "bundled";
  useModelStore.setState({ quantization: q, ...(follows ? { chosen: { ...chosen, quantization: q } } : {}) });
}

export function selectPreset(id: string): void {
  useModelStore.setState({ selectedPreset: id });
}

export function setBudget(bytes: number): void {
  if (Number.isFinite(bytes) && bytes > 0) useModelStore.setState({ budget: bytes });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Records the model to load: the source (in state) and its files (module-level, see chosenFileSet()).
 * The trainer connection reads these; this page only records and shows the choice.
 */
export function requestModelLoad(source: ModelSource, files?: FileSet): void {
  chosenFiles = files;
  const bytes = files ? totalBytes(files) : 0;
  const quantization = source.kind === "bundled" ? BUNDLED_CHOICE.quantization : useModelStore.getState().quantization;
  useModelStore.setState({ chosen: { source, quantization, bytes }, sourceError: undefined });
}

/** The trainer finished loading `choice`: while it stays the chosen one, loading again would change nothing. */
export function markChoiceLoaded(choice: ChosenModel): void {
  useModelStore.setState({ loadedChoice: choice });
}

/** Chooses the bundled tiny model again. */
export function chooseBundled(): void {
  chosenFiles = undefined;
  useModelStore.setState({ chosen: BUNDLED_CHOICE, sourceError: undefined });
}

/** The files of the chosen model (undefined for the bundled model or before a choice). */
export function chosenFileSet(): FileSet | undefined {
  return chosenFiles;
}

/** Reloads the cached models list. */
export async function refreshCachedModels(): Promise<void> {
  if (!isCacheAvailable()) {
    useModelStore.setState({ cache: { status: "unavailable", message: "this browser has no Origin Private File System" } });
    return;
  }
  try {
    useModelStore.setState({ cache: { status: "ready", models: await listCachedModels() } });
  } catch (error) {
    useModelStore.setState({ cache: { status: "unavailable", message: message(error) } });
  }
}

export async function deleteCached(id: string): Promise<void> {
  try {
    await deleteCachedModel(id);
    const chosen = useModelStore.getState().chosen;
    if (chosen?.source.kind === "cached" && chosen.source.id === id) {
      chosenFiles = undefined;
      useModelStore.setState({ chosen: undefined });
    }
  } catch (error) {
    useModelStore.setState({ sourceError: `could not delete ${id}: ${message(error)}` });
  }
  await refreshCachedModels();
}

/** Chooses a complete cached model. */
export async function chooseCached(id: string): Promise<void> {
  try {
    requestModelLoad({ kind: "cached", id }, await cachedFileSet(id));
  } catch (error) {
    useModelStore.setState({ sourceError: message(error) });
  }
}

/** Chooses files from disk (picked or dropped): the model's files are selected from them. */
export function chooseLocal(files: FileSet): void {
  try {
    const picked = selectModelFiles(files);
    const list = picked.files.list().map((name) => ({ name, size: picked.files.get(name)?.size ?? 0 }));
    requestModelLoad({ kind: "local", label: files.label, layout: picked.layout, files: list }, picked.files);
  } catch (error) {
    useModelStore.setState({ sourceError: message(error) });
  }
}

/** Shows an error about a source (e.g. a drop that could not be read). */
export function reportSourceError(text: string): void {
  useModelStore.setState({ sourceError: text });
}

async function runDownload(id: string, open: () => Promise<FileSet>, revision?: string): Promise<void> {
  if (useModelStore.getState().download.status === "running") return;
  const abort = new AbortController();
  downloadAbort = abort;
  useModelStore.setState({ busy: `listing the files of ${id}…`, sourceError: undefined });
  try {
    const { files } = selectModelFiles(await open());
    useModelStore.setState({ busy: undefined });
    const cached = await downloadModel(files, {
      id,
      ...(revision ? { revision } : {}),
      signal: abort.signal,
      onProgress: (p) => {
        if (downloadAbort !== abort) return;
        const secondsLeft = Number.isFinite(p.secondsLeft) ? p.secondsLeft : null;
        useModelStore.setState({ download: { status: "running", id, progress: { ...p, secondsLeft } } });
      },
    });
    useModelStore.setState({ download: { status: "done", id } });
    requestModelLoad({ kind: "cached", id }, cached);
  } catch (error) {
    const cancelled = error instanceof LoadCancelledError || abort.signal.aborted;
    useModelStore.setState({
      busy: undefined,
      download: cancelled ? { status: "cancelled", id } : { status: "error", id, message: message(error) },
    });
  } finally {
    if (downloadAbort === abort) downloadAbort = undefined;
    await refreshCachedModels();
  }
}

/** Downloads a Hub model into the cache (resuming a partial copy) and chooses the cached copy. */
export async function downloadFromHub(repoIdText: string, revision?: string): Promise<void> {
  let repoId: string;
  try {
    repoId = parseRepoId(repoIdText);
  } catch (error) {
    useModelStore.setState({ sourceError: message(error) });
    return;
  }
  // An interrupted download of this revision goes on at the commit it was reading, even if the branch moved since.
  const asked = revision ?? "main";
  const pinned = await pinnedCommit(repoId, asked);
  await runDownload(repoId, () => hubFileSet(repoId, { revision: pinned ?? asked }), asked);
}

/** Downloads a model at a URL (a .gguf file, or a folder of HF files) into the cache and chooses it. */
export async function downloadFromUrl(url: string): Promise<void> {
  const trimmed = url.trim();
  await runDownload(trimmed, () => urlModelFileSet(trimmed));
}

/** Stops the running download; what arrived stays in the cache, marked incomplete, for a later resume. */
export function cancelDownload(): void {
  downloadAbort?.abort();
}
