// The base-weight quantization (none / q8_0 / q4_0) and the GPU memory budget the estimates are checked against.
import { useShallow } from "zustand/react/shallow";
import { QUANTIZATIONS, type Quantization } from "../../sources/presets";
import { type ModelPageState, setBudget, setQuantization, useModelStore } from "./modelStore";
import "./model.css";

const DESCRIPTIONS: Record<Quantization, string> = {
  none: "none: f32, 32 bits a weight (exact, 8× the memory of q4_0)",
  q8_0: "q8_0: 8.5 bits a weight (GGUF Q8_0 blocks)",
  q4_0: "q4_0: 4.5 bits a weight (GGUF Q4_0 blocks, the default)",
};

const selectQuant = (s: ModelPageState) => ({ quantization: s.quantization, budget: s.budget, bundled: s.chosen?.source.kind === "bundled" });

export function QuantizationPicker() {
  const { quantization, budget, bundled } = useModelStore(useShallow(selectQuant));
  return (
    <section className="panel" aria-labelledby="quant-title">
      <h2 id="quant-title">Quantization and memory budget</h2>
      <fieldset className="quant-choice">
        <legend>Frozen base weights of the models you download or pick</legend>
        {bundled ? (
          <p className="muted" data-testid="bundled-quant-note">
            The chosen model, the bundled tiny one, always loads in f32 (none): it is a few MB, and quantizing it would change what it
            answers. This choice applies once you pick or download another model.
          </p>
        ) : null}
        {QUANTIZATIONS.map((q) => (
          <label key={q}>
            <input
              type="radio"
              name="quantization"
              value={q}
              checked={q === quantization}
              onChange={() => setQuantization(q)}
            />{" "}
            {DESCRIPTIONS[q]}
          </label>
        ))}
      </fieldset>
      <label className="budget">
        GPU memory budget (GiB){" "}
        <input
          type="number"
          min={0.25}
          step={0.25}
          value={budget / 2 ** 30}
          onChange={(e) => setBudget(Number(e.currentTarget.value) * 2 ** 30)}
        />
      </label>
      <p className="muted">
        Browsers do not report how much memory a GPU has: set the budget to what your GPU can spare (the runtime assumes
        4 GiB unless told otherwise).
      </p>
    </section>
  );
}
