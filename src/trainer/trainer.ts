// The engine's front door inside the trainer worker: acquires the GPUDevice,
// reports what the adapter can do, and tells the UI when the device is lost.
// Exposed over comlink by workers/trainer.worker.ts; tested by calling it directly.
import { type ModelIdentity, modelIdentity } from "../loader/model_identity";
import type { GpuCapabilities } from "../gpu/capabilities";
import { acquireDevice } from "../gpu/device";
import { loadModel, readModelConfig } from "../loader/load_model";
import { loadTokenizer } from "../loader/load_tokenizer";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import { LoadCancelledError } from "../loader/load_progress";
import { parameterCount } from "../model/config";
import type { ModelRuntime } from "../model/runtime";
import type { WeightFormat } from "../protocol/tensors";
import type { ModelSummary, TrainerEventSink } from "./events";
import type { RolloutEvent } from "../protocol/rollout_events";
import type { Trace } from "../protocol/trace";
import { describeSource, filesOfSource, type WorkerModelSource } from "./model_source";
import { isResumeRequest, type RunEventSink, type RunExport, type RunHistory, type RunLabel, type RunRequest, type RunSummary, type TrainRequest } from "../protocol/run";
import { RunManager } from "./runs";
import { type ModelHints, readModelHints } from "../rollout/model_hints";
import { withHints } from "./run_setup";
import { askQuestion, type PlaygroundAdapter, type PlaygroundModel, type PlaygroundSettings, PlaygroundTools } from "./playground";
import type { PythonBootState } from "../tools/python/python_tool";

export class Trainer {
  private device: GPUDevice | undefined;
  private capabilities: GpuCapabilities | undefined;
  private runtime: ModelRuntime | undefined;
  private tokenizer: QwenTokenizer | undefined;
  private loading: AbortController | undefined;
  private asking: AbortController | undefined;
  private readonly tools = new PlaygroundTools();
  private readonly runs = new RunManager();
  /** The last model loaded, to load again after a device loss. */
  private lastLoad: { source: WorkerModelSource; quant: WeightFormat } | undefined;
  /** The UI's event sink from connect(). */
  private sink: TrainerEventSink | undefined;
  private modelLabel = "model";
  private modelIdentity: ModelIdentity | undefined;
  /** The rollout format the loaded model asks for in its tapo.json (runs use it unless told otherwise). */
  private modelHints: ModelHints = {};

  /**
   * Acquires the device (once) and reports it to `onEvent`; later device loss
   * is reported there too. Throws WebGpuUnavailableError when there is no adapter.
   */
  async connect(onEvent: TrainerEventSink): Promise<GpuCapabilities> {
    this.sink = onEvent;
    if (this.device && this.capabilities) {
      onEvent({ type: "ready", capabilities: this.capabilities });
      return this.capabilities;
    }
    try {
      const { device, capabilities } = await acquireDevice();
      this.device = device;
      this.capabilities = capabilities;
      void device.lost.then((info) => {
        if (this.device === device) this.device = undefined;
        onEvent({
          type: "device-lost",
          reason: info.reason,
          message: info.message || "the GPU device was lost",
        });
      });
      onEvent({ type: "ready", capabilities });
      return capabilities;
    } catch (error) {
      onEvent({ type: "error", message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /**
   * Loads a model (hub id, URL, dropped files or one .gguf) onto the GPU, frozen,
   * streaming progress to `onEvent`; replaces the model loaded before. Resolves
   * with its summary; a cancel() or a bad file rejects with a message for the user.
   */
  async loadModel(source: WorkerModelSource, quant: WeightFormat, onEvent: TrainerEventSink): Promise<ModelSummary> {
    if (!this.device) throw new Error("no GPU device: connect() first");
    this.cancelLoad();
    const controller = new AbortController();
    this.loading = controller;
    try {
      const files = await filesOfSource(source);
      // The tokenizer first: a model without one cannot run rollouts, so fail before the long weight upload.
      const tokenizer = await loadTokenizer(files, controller.signal);
      const hints = await readModelHints(files, controller.signal);
      const { config } = await readModelConfig(files, controller.signal);
      if (tokenizer.vocabSize > config.vocab) {
        throw new Error(
          `the tokenizer has ${tokenizer.vocabSize} tokens but the model's embedding has ${config.vocab} rows: ` +
            "the tokenizer and the weights come from different models",
        );
      }
      this.runs.releaseTuned();
      this.runtime?.destroy();
      this.runtime = undefined;
      const loaded = await loadModel(this.device, files, {
        quant,
        mode: { kind: "frozen" },
        signal: controller.signal,
        onProgress: (progress) => onEvent({ type: "load-progress", progress }),
      });
      this.runtime = loaded.runtime;
      this.tokenizer = tokenizer;
      this.modelIdentity = await modelIdentity(files, quant, controller.signal);
      this.lastLoad = { source, quant };
      this.modelHints = hints;
      this.tools.searchTopK = hints.searchTopK;
      this.modelLabel = describeSource(source);
      // A forward pass on a fixed probe proves the model runs and fingerprints the weights.
      const probe = Array.from({ length: 8 }, (_, i) => (i * 7919) % loaded.config.vocab);
      const { logp } = await loaded.runtime.logprobs([probe]);
      const probeLogp = Array.from(logp[0] ?? []).reduce((a, b) => a + b, 0) / (probe.length - 1);
      const model: ModelSummary = {
        probeLogp,
        tokenizerVocab: tokenizer.vocabSize,
        chatTemplate: tokenizer.hasChatTemplate,
        label: describeSource(source),
        kind: loaded.kind,
        config: loaded.config,
        quant,
        parameters: parameterCount(loaded.config),
        gpuBytes: loaded.runtime.weightBytes(),
        ...(hints.format ? { format: hints.format } : {}),
        ...(hints.maxTurns !== undefined ? { maxTurns: hints.maxTurns } : {}),
      };
      onEvent({ type: "model-loaded", model });
      return model;
    } catch (error) {
      const message = error instanceof LoadCancelledError ? "loading was cancelled" : error instanceof Error ? error.message : String(error);
      onEvent({ type: "load-failed", message });
      throw error;
    } finally {
      if (this.loading === controller) this.loading = undefined;
    }
  }

  /**
   * Answers one Playground question with both tools and `model`: the adapter of the last run trained in this tab
   * (playgroundAdapter()), or the loaded model alone ("base"). `onEvents` receives batches of rollout events (at most
   * 20 a second); `onPython` the Python worker's boot state while the answer runs (its first call waits for Pyodide).
   */
  async ask(
    question: string,
    settings: PlaygroundSettings,
    onEvents: (events: RolloutEvent[]) => void,
    model: PlaygroundModel,
    onPython?: (state: PythonBootState) => void,
  ): Promise<Trace> {
    if (!this.runtime || !this.tokenizer) throw new Error("no model is loaded: load one on the Model page first");
    const adapter = model === "adapter" ? this.runs.tunedAdapter() : undefined;
    const tuned = model === "adapter" ? this.runs.tunedRuntime() : undefined;
    if (model === "adapter" && (!adapter || !tuned)) throw new Error("no trained adapter is kept in this tab: train a run on the Train page first, or ask the base model");
    const label = adapter ? `${this.modelLabel} + ${adapter.runId} (step ${adapter.step})` : this.modelLabel;
    this.asking?.abort();
    const controller = new AbortController();
    this.asking = controller;
    this.tools.watchPython(onPython);
    try {
      return await askQuestion(tuned ?? this.runtime, this.tokenizer, this.tools, question, settings, onEvents, controller.signal, label);
    } finally {
      if (this.asking === controller) {
        this.asking = undefined;
        this.tools.watchPython(undefined);
      }
    }
  }

  /** The adapter ask() answers with when asked for "adapter" (the last run trained in this tab), or undefined. */
  playgroundAdapter(): PlaygroundAdapter | undefined {
    return this.runs.tunedAdapter();
  }

  /** Adds a JSONL corpus to the local search index; resolves with a one-line summary (rows indexed and skipped). */
  addSearchCorpus(text: string, fileName: string): Promise<string> {
    return this.tools.addCorpus(text, fileName);
  }

  /** Stops the Playground answer in progress. */
  stopAsking(): void {
    this.asking?.abort();
  }

  /** Stops a load in progress (its promise rejects with LoadCancelledError). */
  cancelLoad(): void {
    this.loading?.abort();
    this.loading = undefined;
  }

  /**
   * Starts (or, with a ResumeRequest, resumes) a DAPO run on the loaded model; streams
   * RunEvents to `onEvent` and resolves when the run finishes or is stopped; rejects when it
   * cannot start (with every reason) or fails. After a lost GPU device the device is acquired
   * again and the model reloaded first, so resuming continues from the last checkpoint.
   */
  async train(request: RunRequest, onEvent: RunEventSink): Promise<RunSummary> {
    await this.recoverDevice();
    if (!this.runtime || !this.tokenizer || !this.device) throw new Error("no model is loaded: load one on the Model page first");
    // A new run takes the model's hints where it says nothing; a resumed one keeps its saved request.
    const asked = isResumeRequest(request) ? request : withHints(request, this.modelHints);
    const loaded = { device: this.device, runtime: this.runtime, tokenizer: this.tokenizer, modelLabel: this.modelLabel, ...(this.modelIdentity ? { modelIdentity: this.modelIdentity } : {}) };
    return this.runs.train(loaded, (run) => this.tools.runner(run.searchBackend ?? "local"), asked, onEvent);
  }

  /** Pauses the run at the next step boundary. */
  pauseTraining(): void {
    this.runs.pause();
  }

  /** Resumes a paused run. */
  resumeTraining(): void {
    this.runs.resume();
  }

  /** Stops the run: the step in progress is dropped; the last checkpoint stays. */
  stopTraining(): void {
    this.runs.stop();
  }

  /** Runs saved in this browser, newest first. */
  listRuns(): Promise<RunSummary[]> {
    return this.runs.list();
  }

  /** A saved run's metrics, evaluations and traces (for the Train and Traces pages after a reload). */
  runHistory(runId: string): Promise<RunHistory> {
    return this.runs.history(runId);
  }

  /** The request a saved run was started with (its settings, for comparing runs). */
  runRequest(runId: string): Promise<TrainRequest> {
    return this.runs.request(runId);
  }

  /** Names and annotates a saved run. */
  labelRun(runId: string, label: RunLabel): Promise<void> {
    return this.runs.labelRun(runId, label);
  }

  /** A saved run's adapter (last whole checkpoint) and settings, to save outside the browser. */
  exportRun(runId: string): Promise<RunExport> {
    return this.runs.exportRun(runId);
  }

  /** Deletes a saved run. */
  deleteRun(runId: string): Promise<void> {
    return this.runs.remove(runId);
  }

  /** After a device loss: a new device, and the last model loaded onto it again. */
  private async recoverDevice(): Promise<void> {
    if (this.device && this.runtime && this.runtime.device === this.device) return;
    if (!this.lastLoad) return;
    const sink = this.sink ?? (() => {});
    if (!this.device) await this.connect(sink);
    this.runs.releaseTuned();
    this.runtime = undefined;
    await this.loadModel(this.lastLoad.source, this.lastLoad.quant, sink);
  }

  /** The loaded model's tokenizer (engine code in this worker only). */
  getTokenizer(): QwenTokenizer | undefined {
    return this.tokenizer;
  }

  /** The loaded model's runtime (engine code in this worker only). */
  getRuntime(): ModelRuntime | undefined {
    return this.runtime;
  }

  /** The adapter's capabilities, or undefined before connect(). */
  getCapabilities(): GpuCapabilities | undefined {
    return this.capabilities;
  }

  /** Destroys the device on purpose (used to test and to free GPU memory); the loss is reported. */
  releaseDevice(): void {
    this.device?.destroy();
  }
}
