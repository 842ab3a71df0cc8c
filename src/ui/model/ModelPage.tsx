// The Model page: which model to train (presets with download sizes and memory estimates, a Hub id, a URL,
// files from disk, the cache), its quantization, the download's progress, and the GPU the engine will use.
import { BundledModelPanel } from "./BundledModelPanel";
import { CachedModelsList } from "./CachedModelsList";
import { ChosenSource } from "./ChosenSource";
import { DownloadProgressBar } from "./DownloadProgressBar";
import { LocalFilesPicker } from "./LocalFilesPicker";
import { PresetTable } from "./PresetTable";
import { QuantizationPicker } from "./QuantizationPicker";
import { RemoteSourceForm } from "./RemoteSourceForm";
import { GpuPanel } from "../GpuPanel";
import "./model.css";

export function ModelPage() {
  return (
    <div className="model-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Model</h2>
        <p>
          Pick a Qwen2.5 model (0.5B to 7B) from the Hugging Face Hub, a URL or your disk; its frozen weights are quantized
          and LoRA adapters are trained on your GPU. Downloads are cached in the browser, so the next load works offline.
        </p>
        <div className="start-here" data-testid="start-here">
          <strong>Start here:</strong> the loop, one page each, in the order of the menu above (the bundled tiny model loads by
          itself and learns in minutes).
          <ol>
            <li>
              <strong>Model</strong>: keep the bundled model, or pick a Qwen2.5.
            </li>
            <li>
              <strong>Playground</strong>: ask it a question and watch it search and run Python.
            </li>
            <li>
              <strong>Data</strong>: the built-in tasks, or import your own.
            </li>
            <li>
              <strong>Train</strong>: start a DAPO run and watch rewards and rollouts.
            </li>
            <li>
              <strong>Traces</strong>: read what it did, filter, and share a permalink.
            </li>
          </ol>
        </div>
      </section>
      <ChosenSource />
      <BundledModelPanel />
      <QuantizationPicker />
      <PresetTable />
      <DownloadProgressBar />
      <RemoteSourceForm />
      <LocalFilesPicker />
      <CachedModelsList />
      <GpuPanel />
    </div>
  );
}
