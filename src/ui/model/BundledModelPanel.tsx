// The bundled tiny model, listed first among the sources: the one that works offline and trains on a CPU.
import { chooseBundled, type ModelPageState, useModelStore } from "./modelStore";
import "./model.css";

const selectChosen = (s: ModelPageState) => s.chosen?.source.kind === "bundled";

export function BundledModelPanel() {
  const chosen = useModelStore(selectChosen);
  return (
    <section className={`panel source-panel${chosen ? " chosen" : ""}`} aria-labelledby="bundled-title" data-chosen={chosen}>
      <h2 id="bundled-title">Bundled tiny model</h2>
      <p>
        <button type="button" onClick={chooseBundled} aria-describedby="bundled-note">
          Use the bundled tiny model
        </button>{" "}
        <span id="bundled-note" className="muted">
          {chosen ? "Chosen. " : ""}A few-MB Qwen2-shaped model made by this project: it works offline and trains on a CPU in minutes.
        </span>
      </p>
    </section>
  );
}
