// The Playground's engine side, in the trainer worker: answers one question
// with the loaded model and both tools (Python in its own worker, search over
// the bundled corpus or a web backend), streaming rollout events in batches of
// at most one per 50 ms so the UI stays smooth.
import { GpuGenerator } from "../generate/generator";
import type { ModelRuntime } from "../model/runtime";
import type { FormatName } from "../protocol/format";
import type { RolloutEvent } from "../protocol/rollout_events";
import { runRollouts } from "../rollout/rollout";
import { StreamBatcher } from "../rollout/stream_batcher";
import { toTrace } from "../traces/from_rollout";
import { type Trace } from "../protocol/trace";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import { type PythonBootState, PythonTool } from "../tools/python/python_tool";
import { PythonToolRunner } from "../tools/python_runner";
import { createSearchBackend, parseBackendSpec } from "../tools/search/backends";
import { describeParsedCorpus } from "../tools/search/corpus_file";
import { addUploadedCorpus, loadBundledIndex } from "../tools/search/corpus_loader";
import type { LocalIndex } from "../tools/search/local_index";
import { SearchTool } from "../tools/search/search_tool";
import { SearchToolRunner } from "../tools/search/search_runner";

export type PlaygroundSettings = {
  format: FormatName;
  maxTurns: number;
  maxResponseTokens: number;
  temperature: number;
  topP: number;
  seed: number;
  /** "local", "wikipedia" or "searxng:<url>". */
  searchBackend: string;
};

/** Which model answers: the adapter of the last run trained in this tab, or the loaded model alone. */
export type PlaygroundModel = "adapter" | "base";

/** The trained adapter the Playground can answer with: its run, and the steps its weights have been trained. */
export type PlaygroundAdapter = { runId: string; step: number };

export const DEFAULT_PLAYGROUND: PlaygroundSettings = {
  format: "tapo",
  maxTurns: 4,
  maxResponseTokens: 512,
  temperature: 0.7,
  topP: 0.95,
  seed: 1,
  searchBackend: "local",
};

/** Tools shared by every question of a session: one Python worker, one bundled index. */
export class PlaygroundTools {
  private python: PythonTool | undefined;
  private index: Promise<LocalIndex> | undefined;
  /** Hits a search returns: the loaded model's hint (tapo.json searchTopK), else the search tool's default. */
  searchTopK: number | undefined;
  private pythonWatcher: ((state: PythonBootState) => void) | undefined;

  async runner(searchBackend: string): Promise<SearchToolRunner> {
    if (!this.python) {
      this.python = new PythonTool();
      this.python.onBootState = (state) => this.pythonWatcher?.(state);
    }
    const spec = parseBackendSpec(searchBackend);
    const index = spec.kind === "local" ? await (this.index ??= loadBundledIndex()) : undefined;
    const options = this.searchTopK === undefined ? {} : { topK: this.searchTopK };
    return new SearchToolRunner(new SearchTool(createSearchBackend(spec, index), options), new PythonToolRunner(this.python));
  }

  /** Adds an uploaded JSONL corpus ({id, title, text} per line) to the local index; returns what was indexed and skipped. */
  async addCorpus(text: string, fileName: string): Promise<string> {
    const index = await (this.index ??= loadBundledIndex());
    return describeParsedCorpus(addUploadedCorpus(index, text, fileName), fileName);
  }

  /**
   * Sends the Python worker's boot state to `watcher` (undefined stops): now, if it is booting, and on every change
   * (the Playground shows "Starting Python…" while the first call of a session waits for Pyodide).
   */
  watchPython(watcher: ((state: PythonBootState) => void) | undefined): void {
    this.pythonWatcher = watcher;
    if (watcher && this.python?.bootState === "booting") watcher("booting");
  }

  dispose(): void {
    this.python?.dispose();
    this.python = undefined;
  }
}

/** Answers `question`; `onEvents` gets batches of rollout events; resolves with the finished trace. */
export async function askQuestion(
  runtime: ModelRuntime,
  tokenizer: QwenTokenizer,
  tools: PlaygroundTools,
  question: string,
  settings: PlaygroundSettings,
  onEvents: (events: RolloutEvent[]) => void,
  signal?: AbortSignal,
  modelLabel = "model",
): Promise<Trace> {
  const maxLength = Math.min(runtime.model.config.maxPositions, 4096);
  const generator = GpuGenerator.fromRuntime(runtime, { maxSequences: 1, maxLength });
  const batcher = new StreamBatcher(onEvents, 50);
  try {
    const [rollout] = await runRollouts(
      [question],
      { generator, tools: await tools.runner(settings.searchBackend), tokenizer },
      {
        format: settings.format,
        groupSize: 1,
        maxTurns: settings.maxTurns,
        maxResponseTokens: settings.maxResponseTokens,
        toolResponseTokens: 2048,
        maxContextTokens: maxLength,
        sampling: { temperature: settings.temperature, topP: settings.topP, topK: 0, seed: settings.seed },
        ...(signal ? { signal } : {}),
      },
      (e) => batcher.push(e),
    );
    batcher.close();
    if (!rollout) throw new Error("the rollout produced no result");
    return toTrace(rollout, { model: modelLabel, question });
  } finally {
    batcher.close();
    generator.destroy();
  }
}
