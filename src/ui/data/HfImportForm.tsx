// A Hugging Face dataset read through the datasets server (needs the network), with progress and cancel.
import { useShallow } from "zustand/react/shallow";
import { cancelImport, importFromHf } from "./dataImport";
import { type DataPageState, setHfField, useDataStore } from "./dataStore";
import { WholeNumberField } from "./WholeNumberField";

const select = (s: DataPageState) => ({ hf: s.hf, draft: s.draft });

export function HfImportForm() {
  const { hf, draft } = useDataStore(useShallow(select));
  const running = draft.status === "reading" && draft.origin === "hf";
  return (
    <form
      className="import-form"
      aria-labelledby="hf-import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void importFromHf();
      }}
    >
      <h3 id="hf-import-title">From the Hugging Face Hub</h3>
      <p className="muted">
        Reads rows through the Hub's datasets server, 100 a request (for example <code>openai/gsm8k</code> config{" "}
        <code>main</code>, or <code>Goer17/TAPO</code>). Needs the network; a blank config takes the first one with the split.
      </p>
      <div className="hf-fields">
        <label>
          <span>Dataset id</span>
          <input type="text" name="hf-dataset" required placeholder="owner/name" value={hf.dataset} onChange={(e) => setHfField("dataset", e.currentTarget.value)} />
        </label>
        <label>
          <span>Config</span>
          <input type="text" name="hf-config" placeholder="first with the split" value={hf.config} onChange={(e) => setHfField("config", e.currentTarget.value)} />
        </label>
        <label>
          <span>Split</span>
          <input type="text" name="hf-split" placeholder="train" value={hf.split} onChange={(e) => setHfField("split", e.currentTarget.value)} />
        </label>
        <WholeNumberField label="Rows to keep at most" name="hf-max-rows" value={hf.maxRows} min={1} max={1_000_000} onCommit={(n) => setHfField("maxRows", n)} />
      </div>
      <div className="import-actions">
        <button type="submit" disabled={running}>
          Import from Hugging Face
        </button>
        {running ? (
          <button type="button" onClick={cancelImport}>
            Cancel import
          </button>
        ) : null}
      </div>
    </form>
  );
}
