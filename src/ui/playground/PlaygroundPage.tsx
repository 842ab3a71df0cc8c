// The Playground: ask the loaded model a question and watch it think, search,
// run Python and answer, streamed from the trainer worker as it happens.
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { FORMAT_NAMES, getFormat } from "../../rollout/formats";
import { type FormatName } from "../../protocol/format";
import { parseSegments } from "../../rollout/segments";
import { useAppStore } from "../store";
import { askPlayground, stopPlayground } from "../trainerWorker";
import { CorpusUpload } from "./CorpusUpload";
import { nextSeed, type PlaygroundState, setPlaygroundSettings, setQuestion, usePlaygroundStore } from "./playgroundStore";
import { Segments } from "./Segments";
import "./playground.css";

const select = (s: PlaygroundState) => s;

export function PlaygroundPage() {
  const state = usePlaygroundStore(useShallow(select));
  const loaded = useAppStore((s) => s.model.status === "loaded");
  const trainedFormat = useAppStore((s) => (s.model.status === "loaded" ? s.model.model.format : undefined));
  const { settings } = state;
  const segments = useMemo(() => parseSegments(state.text, getFormat(settings.format)), [state.text, settings.format]);
  const running = state.status === "running";
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
          <div className="ask-actions">
            <button type="submit" disabled={!loaded || running}>
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
        <h2 id="answer-title">Answer</h2>
        <p className="muted" data-testid="playground-stats">
          {state.policyTokens} tokens written by the model, {state.forcedTokens} inserted (tool results, corrections)
          {state.toolCalls.length ? `, ${state.toolCalls.length} tool call${state.toolCalls.length > 1 ? "s" : ""}` : ""}
          {state.finish ? `; finished: ${state.finish}` : running ? "; writing…" : ""}
          {state.askedSeed !== undefined ? `; seed ${state.askedSeed}` : ""}
        </p>
        {segments.length ? <Segments segments={segments} openResponses /> : <p className="muted">Nothing yet.</p>}
        {state.error ? (
          <p className="warning" role="alert">
            {state.error}
          </p>
        ) : null}
      </section>
    </div>
  );
}
