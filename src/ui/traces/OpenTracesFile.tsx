// "Open traces.jsonl": loads a file that `tapo train --out` wrote into the traces store, as a run named
// after the file; bad lines are skipped and reported by line number.
import { useState } from "react";
import { describeLoad, parseTracesJsonl } from "../../traces/jsonl";
import { selectRun, setRunTraces } from "./tracesStore";

type Note = { ok: boolean; text: string };

async function openFile(file: File): Promise<Note> {
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return { ok: false, text: `Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}. Choose the file again.` };
  }
  const result = parseTracesJsonl(text);
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
