// Adds the user's own documents (JSONL {id, title, text} per line) to the local search index the tools use.
import { useState } from "react";
import { uploadSearchCorpus } from "../trainerWorker";

export function CorpusUpload() {
  const [note, setNote] = useState<{ ok: boolean; text: string } | undefined>();
  return (
    <div className="corpus-upload">
      <label>
        Add a search corpus (JSONL: id, title, text){" "}
        <input
          type="file"
          accept=".jsonl,.json,application/jsonl"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            uploadSearchCorpus(file).then(
              (text) => setNote({ ok: true, text }),
              (error: unknown) => setNote({ ok: false, text: error instanceof Error ? error.message : String(error) }),
            );
          }}
        />
      </label>
      {note ? (
        <p className={note.ok ? "muted" : "warning"} role={note.ok ? "status" : "alert"} data-testid="corpus-note">
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
