// The Playground: ask the loaded model (or the adapter of the run trained in this
// tab, or both side by side) a question and watch it think, search, run Python and
// answer, streamed from the trainer worker as it happens.
import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";
import { FORMAT_NAMES } from "../../rollout/formats";
import { type FormatName } from "../../protocol/format";
import { useAppStore } from "../store";
import { useTrainStore } from "../train/trainStore";
import { askPlayground, refreshPlaygroundAdapter, stopPlayground } from "../trainerWorker";
import { AnswerColumn } from "./AnswerColumn";
import { CorpusUpload } from "./CorpusUpload";
import { ModelChoice } from "./ModelChoice";
import { nextSeed, type PlaygroundState, setAdapter, setPlaygroundSettings, setQuestion, usePlaygroundStore } from "./playgroundStore";
import "./playground.css";

const select = (s: PlaygroundState) => s;

export function PlaygroundPage() {
  const state = usePlaygroundStore(useShallow(select));
  const loadedModel = useAppStore((s) => (s.model.status === "loaded" ? s.model.model : undefined));
  const runStatus = useTrainStore((s) => s.run.status);
  const loaded = loadedModel !== undefined;
  const trainedFormat = loadedModel?.format;
  const { settings } = state;
  const running = state.status === "running";
  // A new model or the end of a run changes the adapter the worker keeps.
  useEffect(() => {
    refreshPlaygroundAdapter().catch(() => setAdapter(undefined));
  }, [loadedModel, runStatus]);
  const formatWarning =
    trainedFormat !== undefined && trainedFormat !== settings.format
      ? `The loaded model learned the ${trainedFormat} format; with ${settings.format} its answers will likely be worse.`
      : undefined;
  return (
    <div className="playground-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Playground</h2>
        <form
          className="ask-form"
          onSubmit={(e) => {
            e.preventDefault();
            void askPlayground();
          }}
        >
          <label className="question">
            Question
            <textarea value={state.question} rows={3} required onChange={(e) => setQuestion(e.currentTarget.value)} />
          </label>
          <div className="ask-settings">
            <label>
              Format{" "}
              <select value={settings.format} onChange={(e) => setPlaygroundSettings({ format: e.currentTarget.value as FormatName })}>
                {FORMAT_NAMES.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Temperature{" "}
              <input
                type="number"
                min={0}
                max={2}
                step={0.1}
                value={settings.temperature}
                onChange={(e) => setPlaygroundSettings({ temperature: Number(e.currentTarget.value) })}
              />
            </label>
            <label>
              Seed{" "}
              <input
                type="number"
                min={0}
                step={1}
                value={settings.seed}
                onChange={(e) => {
                  const seed = Number(e.currentTarget.value);
                  if (Number.isInteger(seed) && seed >= 0) setPlaygroundSettings({ seed });
                }}
              />
            </label>
            <label>
              Max response tokens{" "}
              <input
                type="number"
                min={16}
                max={4096}
                step={16}
                value={settings.maxResponseTokens}
                onChange={(e) => setPlaygroundSettings({ maxResponseTokens: Number(e.currentTarget.value) })}
              />
            </label>
            <label>
              Search{" "}
              <select value={settings.searchBackend} onChange={(e) => setPlaygroundSettings({ searchBackend: e.currentTarget.value })}>
                <option value="local">bundled corpus (offline)</option>
                <option value="wikipedia">Wikipedia (online)</option>
              </select>
            </label>
          </div>
          <CorpusUpload />
          <ModelChoice adapter={loaded ? state.adapter : undefined} compare={state.compare} disabled={running} />
          <div className="ask-actions">
            <button type="submit" className="primary" disabled={!loaded || running}>
              Ask
            </button>
            <button
              type="button"
              disabled={!loaded || running || state.askedSeed === undefined}
              title={settings.temperature === 0 ? "at temperature 0 every seed gives the same answer" : "the same question with the next seed"}
              onClick={() => {
                nextSeed();
                void askPlayground();
              }}
            >
              Sample again
            </button>
            {running ? (
              <button type="button" onClick={stopPlayground}>
                Stop
              </button>
            ) : null}
            {!loaded ? <span className="muted">Load a model on the Model page first.</span> : null}
            {formatWarning ? (
              <span className="warning" data-testid="format-warning">
                {formatWarning}
              </span>
            ) : null}
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="answer-title" data-status={state.status} data-testid="playground-answer">
        <h2 id="answer-title">{state.answers.length > 1 ? "Answers, side by side" : "Answer"}</h2>
        {running && state.python === "booting" ? (
          <p className="python-status" role="status" data-testid="python-status">
            Starting Python (the first use takes a few seconds)…
          </p>
        ) : null}
        {state.answers.length ? (
          <div className="answers" data-count={state.answers.length}>
            {state.answers.map((answer) => (
              <AnswerColumn key={answer.model} answer={answer} format={settings.format} seed={state.askedSeed} />
            ))}
          </div>
        ) : (
          <p className="muted">Nothing yet.</p>
        )}
      </section>
    </div>
  );
}
