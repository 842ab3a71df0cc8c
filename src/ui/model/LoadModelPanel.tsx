// Loads the chosen model into the trainer worker: the Load button, the load's
// progress with Cancel, and what was loaded (architecture, size on the GPU, and
// a probe forward pass's mean log-prob as proof that the model runs).
import { formatBytes } from "../../util/format_bytes";
import { formatDuration } from "../../sources/progress";
import { useAppStore } from "../store";
import { cancelModelLoad, loadChosenModel } from "../trainerWorker";
import { useModelStore } from "./modelStore";
import "./model.css";

export function LoadModelPanel() {
  const model = useAppStore((s) => s.model);
  const gpuReady = useAppStore((s) => s.gpu.status === "ready");
  const chosen = useModelStore((s) => s.chosen);
  const loadedChoice = useModelStore((s) => s.loadedChoice);
  const loading = model.status === "loading";
  // The chosen model, as chosen, is what the trainer holds: loading it again would change nothing.
  const alreadyLoaded = model.status === "loaded" && chosen !== undefined && chosen === loadedChoice;
  const progress = loading ? model.progress : undefined;
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;
  return (
    <div className="load-model" data-testid="load-model" data-status={model.status}>
      <div className="load-actions">
        <button type="button" onClick={() => void loadChosenModel()} disabled={!chosen || !gpuReady || loading || alreadyLoaded}>
          Load into the trainer
        </button>
        {alreadyLoaded ? <span className="muted" data-testid="already-loaded">loaded: choose another source or quantization to load another</span> : null}
        {loading ? (
          <button type="button" onClick={cancelModelLoad}>
            Cancel loading
          </button>
        ) : null}
        {!gpuReady ? <span className="muted">waiting for the GPU…</span> : null}
      </div>
      {loading ? (
        <div className="load-progress">
          <progress max={1} value={fraction} aria-label="Model loading progress" />
          <span>
            Loading {model.label}
            {progress ? `: ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} (${progress.file})` : "…"}
            {loading && model.rateBytesPerSec ? `, ${formatBytes(model.rateBytesPerSec)}/s` : ""}
            {loading && model.secondsLeft != null ? `, ${formatDuration(model.secondsLeft)} left` : ""}
          </span>
        </div>
      ) : null}
      {model.status === "loaded" ? (
        <dl className="loaded-model" aria-label="loaded model">
          <dt>Loaded</dt>
          <dd data-testid="loaded-label">
            {model.model.label} ({model.model.kind}, {model.model.quant} weights)
          </dd>
          <dt>Architecture</dt>
          <dd data-testid="loaded-arch">
            {model.model.config.layers} layers, hidden {model.model.config.hidden}, {model.model.config.heads} heads /{" "}
            {model.model.config.kvHeads} kv heads, vocabulary {model.model.config.vocab}
            {model.model.config.tieEmbeddings ? ", tied head" : ""}
          </dd>
          <dt>Size</dt>
          <dd>
            {(model.model.parameters / 1e6).toFixed(1)} M parameters, {formatBytes(model.model.gpuBytes)} on the GPU
          </dd>
          <dt>Tokenizer</dt>
          <dd data-testid="loaded-tokenizer">
            {model.model.tokenizerVocab} tokens, {model.model.chatTemplate ? "with a chat template" : "no chat template"}
          </dd>
          <dt>Probe log-prob</dt>
          <dd>
            <span data-testid="loaded-probe">{model.model.probeLogp.toFixed(6)}</span>{" "}
            <span className="muted">
              mean log-probability per token of a fixed 8-token text: proof that a forward pass ran; the same model gives the same value from any source
            </span>
          </dd>
        </dl>
      ) : null}
      {model.status === "failed" ? (
        <p className="warning" role="alert" data-testid="load-error">
          Could not load {model.label}: {model.message}
        </p>
      ) : null}
    </div>
  );
}
