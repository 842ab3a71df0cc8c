// Model files from disk: a drop zone (a folder or files, or one .gguf), a files picker and a folder picker,
// and the bundled tiny model's entry (the default: it ships with the app and works offline).
import { type DragEvent, useState } from "react";
import { droppedFileSet, localFileSet } from "../../sources/local";
import { chooseLocal, reportSourceError } from "./modelStore";
import "./model.css";

/** React passes these through to the input; the DOM typings lack them. */
const folderPickerAttributes = { webkitdirectory: "", directory: "" } as Record<string, string>;

function pick(list: FileList | null) {
  if (!list || list.length === 0) return;
  chooseLocal(localFileSet(list));
}

export function LocalFilesPicker() {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    // droppedFileSet reads the items before its first await, inside this handler.
    droppedFileSet(e.dataTransfer).then(chooseLocal, (error: unknown) =>
      reportSourceError(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <section className="panel local-sources" aria-labelledby="local-title">
      <h2 id="local-title">From your disk</h2>
      <div
        className={over ? "drop-zone over" : "drop-zone"}
        data-testid="drop-zone"
        aria-label="Drop a model folder or a .gguf file here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>
          Drop a Hugging Face model folder (config.json, tokenizer files, *.safetensors) or one .gguf file here, or
          choose them:
        </p>
        <div className="pickers">
          <label className="picker">
            Choose model files
            <input
              type="file"
              multiple
              accept=".gguf,.safetensors,.json,.txt"
              data-testid="pick-files"
              onChange={(e) => pick(e.currentTarget.files)}
            />
          </label>
          <label className="picker">
            Choose a model folder
            <input type="file" multiple data-testid="pick-folder" {...folderPickerAttributes} onChange={(e) => pick(e.currentTarget.files)} />
          </label>
        </div>
      </div>
    </section>
  );
}
