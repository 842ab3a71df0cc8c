// Sources on the network: a Hugging Face model id (any Qwen2.5-shaped repo, optional revision) and a URL
// (one .gguf file, or a folder of Hugging Face files). Both download into the cache, then are chosen.
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { downloadFromHub, downloadFromUrl, type ModelPageState, useModelStore } from "./modelStore";
import "./model.css";

const selectBusy = (s: ModelPageState) => ({
  busy: s.busy,
  running: s.download.status === "running",
});

export function RemoteSourceForm() {
  const [hubId, setHubId] = useState("");
  const [revision, setRevision] = useState("");
  const [url, setUrl] = useState("");
  const { busy, running } = useModelStore(useShallow(selectBusy));
  const disabled = running || busy !== undefined;
  return (
    <section className="panel remote-sources" aria-labelledby="remote-title">
      <h2 id="remote-title">From the Hugging Face Hub or a URL</h2>
      <form
        className="source-form"
        onSubmit={(e) => {
          e.preventDefault();
          void downloadFromHub(hubId, revision.trim() || undefined);
        }}
      >
        <label>
          Hugging Face model id{" "}
          <input
            type="text"
            name="hub-id"
            placeholder="Qwen/Qwen2.5-0.5B-Instruct"
            value={hubId}
            required
            onChange={(e) => setHubId(e.currentTarget.value)}
          />
        </label>
        <label>
          Revision{" "}
          <input type="text" name="revision" placeholder="main" value={revision} onChange={(e) => setRevision(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={disabled}>
          Download from the Hub
        </button>
      </form>
      <form
        className="source-form"
        onSubmit={(e) => {
          e.preventDefault();
          void downloadFromUrl(url);
        }}
      >
        <label>
          Model URL (a .gguf file, or a folder with config.json){" "}
          <input
            type="url"
            name="model-url"
            placeholder="https://example.org/models/qwen2.5-0.5b/"
            value={url}
            required
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={disabled}>
          Download from the URL
        </button>
      </form>
      {busy ? <p aria-live="polite">{busy}</p> : null}
    </section>
  );
}
