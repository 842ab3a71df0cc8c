// The model chosen for loading (source, files, quantization), and the last problem with a source the user gave.
import { useShallow } from "zustand/react/shallow";
import type { Quantization } from "../../sources/presets";
import { formatBytes } from "../../util/format_bytes";
import { LoadModelPanel } from "./LoadModelPanel";
import { type ModelPageState, type ModelSource, useModelStore } from "./modelStore";
import "./model.css";

const selectChosen = (s: ModelPageState) => ({ chosen: s.chosen, error: s.sourceError });

/** The quantization in words ("none" alone reads as "no base weights"). */
export const QUANT_WORDS: Record<Quantization, string> = { none: "f32 (unquantized)", q8_0: "q8_0", q4_0: "q4_0" };

function describe(source: ModelSource): string {
  switch (source.kind) {
    case "cached":
      return `${source.id} (from the cache)`;
    case "hub":
      return `${source.repoId} on the Hugging Face Hub${source.revision ? ` at ${source.revision}` : ""}`;
    case "url":
      return source.url;
    case "local":
      return `${source.label} (${source.layout === "gguf" ? "GGUF file" : "Hugging Face files"} from your disk)`;
    case "bundled":
      return "the bundled tiny model";
  }
}

export function ChosenSource() {
  const { chosen, error } = useModelStore(useShallow(selectChosen));
  return (
    <section className="panel chosen-source" aria-labelledby="chosen-title">
      <h2 id="chosen-title">Chosen model</h2>
      {chosen ? (
        <>
          <p data-testid="chosen-source">
            <strong>{describe(chosen.source)}</strong>, {QUANT_WORDS[chosen.quantization]} base weights,{" "}
            {chosen.source.kind === "bundled" ? "files shipped with the app (no download)" : `${formatBytes(chosen.bytes)} of files`}.
          </p>
          {chosen.source.kind === "local" ? (
            <ul className="file-list" aria-label="chosen files">
              {chosen.source.files.map((f) => (
                <li key={f.name}>
                  {f.name} <span className="muted">{formatBytes(f.size)}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <LoadModelPanel />
        </>
      ) : (
        <p className="muted">None yet: pick a preset, a Hub id, a URL, files from your disk, or a cached model.</p>
      )}
      {error ? (
        <p className="warning" role="alert" data-testid="source-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
