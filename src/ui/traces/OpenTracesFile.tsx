// "Open traces.jsonl": loads a file that `tapo train --out` wrote into the traces store, as a run named
// after the file; bad lines are skipped and reported by line number. A file over MAX_TRACES_FILE_BYTES
// is refused before it is read; others are streamed line by line (readTracesFile).
import { useState } from "react";
import { describeLoad, type TracesJsonl } from "../../traces/jsonl";
import { TracesFileTooLargeError, readTracesFile } from "../../traces/read_file";
import { selectRun, setRunTraces } from "./tracesStore";

type Note = { ok: boolean; text: string };

async function openFile(file: File): Promise<Note> {
  let result: TracesJsonl;
  try {
    result = await readTracesFile(file, file.name);
  } catch (error) {
    if (error instanceof TracesFileTooLargeError) return { ok: false, text: error.message };
    return { ok: false, text: `Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}. Choose the file again.` };
  }
  if (result.traces.length === 0) {
    const why = result.skipped.length === 0 ? `${file.name} holds no traces.` : describeLoad(file.name, result);
    return { ok: false, text: `${why} Choose a traces.jsonl with one trace (JSON) per line, as \`tapo train --out\` writes it.` };
  }
  setRunTraces(file.name, result.traces);
  selectRun(file.name);
  return { ok: result.skipped.length === 0, text: describeLoad(file.name, result) };
}

export function OpenTracesFile() {
  const [note, setNote] = useState<Note | undefined>();
  return (
    <div className="open-traces">
      <label>
        Open traces.jsonl{" "}
        <input
          type="file"
          accept=".jsonl,.json,.txt,application/jsonl,application/x-ndjson,text/plain"
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (!file) return;
            void openFile(file).then((n) => {
              setNote(n);
              input.value = "";
            });
          }}
        />
      </label>
      {note ? (
        <p className={note.ok ? "muted" : "warning"} role={note.ok ? "status" : "alert"} data-testid="traces-file-note">
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
