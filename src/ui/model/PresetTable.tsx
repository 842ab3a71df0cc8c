// The Qwen2.5 presets: download size, GPU memory to train each with the chosen
// quantization and the default micro-batch, whether it fits this adapter, and
// the selected preset's breakdown with its Download (or Use cached copy) button.
import { useShallow } from "zustand/react/shallow";
import { formatBytes } from "../../util/format_bytes";
import type { CachedModel } from "../../sources/cache";
import { DEFAULT_LORA } from "../../protocol/lora";
import { DEFAULT_BATCH, estimateTraining, PRESETS } from "../../sources/presets";
import { useAppStore, type AppState } from "../store";
import { QUANT_WORDS } from "./ChosenSource";
import { adapterLimits } from "./gpuLimits";
import { chooseCached, downloadFromHub, type ModelPageState, selectPreset, useModelStore } from "./modelStore";
import "./model.css";

const NO_MODELS: CachedModel[] = [];
const selectTable = (s: ModelPageState) => ({
  quantization: s.quantization,
  selected: s.selectedPreset,
  // Only the chosen source is highlighted: a preset row is when that preset (downloaded or cached) is the choice.
  chosenId: s.chosen?.source.kind === "hub" ? s.chosen.source.repoId : s.chosen?.source.kind === "cached" ? s.chosen.source.id : undefined,
  budget: s.budget,
  downloading: s.download.status === "running" || s.busy !== undefined,
  cached: s.cache.status === "ready" ? s.cache.models : NO_MODELS,
});
const selectGpu = (s: AppState) => s.gpu;

export function PresetTable() {
  const { quantization, selected, chosenId, budget, downloading, cached } = useModelStore(useShallow(selectTable));
  const limits = adapterLimits(useAppStore(selectGpu));
  const estimates = PRESETS.map((p) => ({ preset: p, ...estimateTraining(p.config, quantization, limits, budget) }));
  const current = estimates.find((e) => e.preset.id === selected) ?? estimates[0]!;
  const cachedCopy = cached.find((m) => m.id === current.preset.id);
  const batch = `${DEFAULT_BATCH.B} × ${DEFAULT_BATCH.Tmax} tokens`;
  return (
    <section className="panel model-presets" aria-labelledby="presets-title">
      <h2 id="presets-title">Qwen2.5 presets</h2>
      <table className="preset-table">
        <caption className="muted">
          GPU memory for LoRA training (rank {DEFAULT_LORA.r} on {DEFAULT_LORA.targets.length} linear layers per block) with {QUANT_WORDS[quantization]} base weights and micro-batches of{" "}
          {batch}, against a budget of {formatBytes(budget)}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Download (bf16 safetensors)</th>
            <th scope="col">GPU memory to train</th>
            <th scope="col">Fits</th>
          </tr>
        </thead>
        <tbody>
          {estimates.map(({ preset, estimate, problem }) => (
            <tr key={preset.id} className={preset.id === chosenId ? "chosen" : undefined} data-chosen={preset.id === chosenId} data-testid={`preset-${preset.id}`}>
              <td>
                <label>
                  <input
                    type="radio"
                    name="preset"
                    value={preset.id}
                    checked={preset.id === selected}
                    onChange={() => selectPreset(preset.id)}
                  />{" "}
                  {preset.id}
                </label>
              </td>
              <td data-testid="preset-size" title={`${preset.weightBytes} bytes`}>
                {formatBytes(preset.weightBytes)}
              </td>
              <td data-testid="preset-estimate" title={`${estimate.total} bytes`}>
                {formatBytes(estimate.total)}
              </td>
              <td className={problem ? "no-fit" : "fit"}>{problem ? "too large" : "fits"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="preset-detail" aria-live="polite">
        <h3>{current.preset.id}</h3>
        <p data-testid="selected-estimate">
          Needs about <strong>{formatBytes(current.estimate.total)}</strong> of GPU memory with {QUANT_WORDS[quantization]} weights:
          weights {formatBytes(current.estimate.byGroup.weights)}, trainable state{" "}
          {formatBytes(current.estimate.byGroup.trainable)}, activations {formatBytes(current.estimate.byGroup.activations)},
          output head {formatBytes(current.estimate.byGroup.head)}.
        </p>
        {current.problem ? (
          <p className="warning" role="alert" data-testid="fit-warning">
            This will not fit: {current.problem}
          </p>
        ) : null}
        {Object.keys(limits).length === 0 ? (
          <p className="muted">No GPU adapter yet: the estimate is checked against the budget only.</p>
        ) : null}
        {cachedCopy?.complete ? (
          <button type="button" onClick={() => void chooseCached(current.preset.id)}>
            Use cached copy of {current.preset.id}
          </button>
        ) : (
          <button type="button" disabled={downloading} onClick={() => void downloadFromHub(current.preset.id)}>
            {cachedCopy ? "Resume download of" : "Download"} {current.preset.id} ({formatBytes(current.preset.weightBytes)})
          </button>
        )}
      </div>
    </section>
  );
}
