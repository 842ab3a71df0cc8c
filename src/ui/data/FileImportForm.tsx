// A dataset file (JSONL, CSV or Parquet) read with the field mapping into the import preview.
import { useState } from "react";
import { chooseImportFile, peekColumns, readChosenFile } from "./dataImport";
import { useDataStore } from "./dataStore";

type Props = { onColumns: (columns: string[]) => void };

export function FileImportForm({ onColumns }: Props) {
  const [fileName, setFileName] = useState<string | undefined>();
  const reading = useDataStore((s) => s.draft.status === "reading");
  return (
    <form
      className="import-form"
      aria-labelledby="file-import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void readChosenFile();
      }}
    >
      <h3 id="file-import-title">From a file</h3>
      <label className="file-picker">
        <span>Dataset file (JSONL, CSV or Parquet)</span>
        <input
          type="file"
          accept=".jsonl,.ndjson,.json,.csv,.parquet"
          onChange={(e) => {
            const chosen = e.currentTarget.files?.[0];
            if (!chosen) return;
            setFileName(chosen.name);
            onColumns([]);
            void peekColumns(chosen, chosen.name).then(onColumns);
            void chooseImportFile(chosen);
          }}
        />
      </label>
      <button type="submit" disabled={!fileName || reading}>
        Read {fileName ?? "the file"} again with this mapping
      </button>
    </form>
  );
}
