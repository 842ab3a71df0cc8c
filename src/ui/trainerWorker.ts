// Starts the trainer worker, wraps it with comlink, and feeds its events into
// the store. The only place the UI touches the Worker object.
import { proxy, type Remote, wrap } from "comlink";
import type { BlobByteSource } from "../io/source";
import type { WeightFormat } from "../protocol/tensors";
import { describeSource, type WorkerModelSource } from "../trainer/model_source";
import { DEFAULT_PLAYGROUND, type PlaygroundModel } from "../trainer/playground";
import type { Trainer } from "../trainer/trainer";
import { chosenFileSet, type ChosenModel, markChoiceLoaded, useModelStore } from "./model/modelStore";
import type { TrainerEvent } from "../trainer/events";
import type { RolloutEvent } from "../protocol/rollout_events";
import { applyRolloutEvents, modelsToAsk, setAdapter, setPlaygroundSettings, setPythonState, usePlaygroundStore } from "./playground/playgroundStore";
import { askInTurn } from "./playground/askInTurn";
import { applyTrainerEvent, setGpuUnavailable, setModelLoading, useAppStore } from "./store";

let remote: Remote<Trainer> | undefined;

/** The trainer's comlink proxy, once started. */
export function trainer(): Remote<Trainer> | undefined {
  return remote;
}

/** Starts the worker and connects it to the GPU; safe to call once per page. */
export function startTrainerWorker(): void {
  if (remote) return;
  if (!("gpu" in navigator) || !navigator.gpu) {
    setGpuUnavailable("This browser exposes no WebGPU (navigator.gpu is missing).");
    return;
  }
  const worker = new Worker(new URL("../../workers/trainer.worker.ts", import.meta.url), {
    type: "module",
    name: "trainer",
  });
  worker.addEventListener("error", (event) => {
    applyTrainerEvent({ type: "error", message: `The trainer worker failed to start: ${event.message || "unknown error"}` });
  });
  remote = wrap<Trainer>(worker);
  remote.connect(proxy(applyTrainerEvent)).then(loadBundledAtStart, (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (/WebGPU|adapter|navigator\.gpu/.test(message)) setGpuUnavailable(message);
  });
}

/** The embedded default: with the bundled model still chosen and nothing loaded, load it as soon as the GPU is ready. */
function loadBundledAtStart(): void {
  const chosen = useModelStore.getState().chosen;
  if (chosen?.source.kind === "bundled" && useAppStore.getState().model.status === "none") void loadChosenModel();
}

/** The worker-side form of the Model page's chosen source (files cross as Blobs). */
export function workerSourceOf(chosen: ChosenModel): WorkerModelSource {
  const source = chosen.source;
  switch (source.kind) {
    case "cached":
      return { kind: "cached", id: source.id };
    case "hub":
      return { kind: "hub", repo: source.repoId, ...(source.revision ? { revision: source.revision } : {}) };
    case "url":
      return { kind: "url", url: source.url };
    case "local": {
      const files = chosenFileSet();
      if (!files) throw new Error("the chosen files are gone: choose them again");
      return {
        kind: "files",
        label: source.label,
        files: source.files.map(({ name }) => {
          const file = files.get(name) as BlobByteSource | undefined;
          if (!file?.blob) throw new Error(`${name} is no longer readable: choose the files again`);
          return { name, blob: file.blob };
        }),
      };
    }
    case "bundled":
      return { kind: "bundled" };
  }
}

function formatOf(q: ChosenModel["quantization"]): WeightFormat {
  return q === "none" ? "f32" : q;
}

/** Load events go to the store; each model sets the Playground's format and tool-call limit: its own (the tiny model's), else TAPO's. */
function onModelEvent(event: TrainerEvent): void {
  applyTrainerEvent(event);
  if (event.type === "model-loaded") setPlaygroundSettings({ format: event.model.format ?? "tapo", maxTurns: event.model.maxTurns ?? DEFAULT_PLAYGROUND.maxTurns });
}

/** Loads the Model page's chosen model into the trainer worker; progress and result arrive as events. */
export async function loadChosenModel(): Promise<void> {
  const chosen = useModelStore.getState().chosen;
  if (!remote || !chosen) return;
  let source: WorkerModelSource;
  try {
    source = workerSourceOf(chosen);
  } catch (error) {
    applyTrainerEvent({ type: "load-failed", message: error instanceof Error ? error.message : String(error) });
    return;
  }
  setModelLoading(describeSource(source));
  const onEvent = (event: TrainerEvent) => {
    onModelEvent(event);
    if (event.type === "model-loaded") markChoiceLoaded(chosen);
  };
  // Failures reach the store as a load-failed event; the rejection itself needs no handling here.
  await remote.loadModel(source, formatOf(chosen.quantization), proxy(onEvent)).catch(() => undefined);
}

/** Cancels a model load in progress. */
export function cancelModelLoad(): void {
  void remote?.cancelLoad();
}

/** Asks the worker which trained adapter it keeps for the Playground (the last run of this tab), into the store. */
export async function refreshPlaygroundAdapter(): Promise<void> {
  if (!remote) return;
  setAdapter(await remote.playgroundAdapter());
}

/** Stops the Playground's ask in progress: the answer being written, and any model still to answer. */
let playgroundStop: AbortController | undefined;

/**
 * Asks the Playground's question: with the adapter the worker keeps, else the base model; when comparing, the base
 * model after the adapter with the same seed and settings (one GPU: one after the other). Answers stream into the store.
 */
export async function askPlayground(): Promise<void> {
  const { question, settings, adapter, compare } = usePlaygroundStore.getState();
  const worker = remote;
  if (!worker || !question.trim()) return;
  const stop = new AbortController();
  playgroundStop?.abort();
  playgroundStop = stop;
  // The adapter as the page last heard (on each visit, new model and run status); if it is gone since, the worker says so.
  const onPython = proxy(setPythonState);
  const ask = (model: PlaygroundModel) => worker.ask(question, settings, proxy((events: RolloutEvent[]) => applyRolloutEvents(model, events)), model, onPython);
  await askInTurn(modelsToAsk({ adapter, compare }), ask, stop.signal);
  if (playgroundStop === stop) playgroundStop = undefined;
}

/** Stops the Playground's answer in progress, and the base model's turn after it when comparing. */
export function stopPlayground(): void {
  playgroundStop?.abort();
  void remote?.stopAsking();
}

/** Sends an uploaded search corpus to the worker's local index; resolves with its summary or throws its error. */
export async function uploadSearchCorpus(file: File): Promise<string> {
  if (!remote) throw new Error("the trainer worker is not running");
  return remote.addSearchCorpus(await file.text(), file.name);
}
