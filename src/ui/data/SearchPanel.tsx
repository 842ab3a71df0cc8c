// Search: the bundled corpus the local index starts with, uploading more
// documents to it, and the backend training searches with.
import { useEffect, useId, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { BUNDLED_CORPUS_FILE } from "../../tasks/world/bundled";
import { CorpusUpload } from "../playground/CorpusUpload";
import { loadBundledCorpusInfo } from "./dataImport";
import { clearSearchBackendError, type DataPageState, setSearchBackend, useDataStore } from "./dataStore";

type BackendKind = "local" | "wikipedia" | "searxng";

const select = (s: DataPageState) => ({ corpus: s.bundledCorpus, backend: s.searchBackend, error: s.searchBackendError });

function kindOf(spec: string): BackendKind {
  return spec.startsWith("searxng:") ? "searxng" : spec.startsWith("wikipedia") ? "wikipedia" : "local";
}

export function SearchPanel() {
  const { corpus, backend, error } = useDataStore(useShallow(select));
  const [kind, setKind] = useState<BackendKind>(kindOf(backend));
  const [searxUrl, setSearxUrl] = useState(backend.startsWith("searxng:") ? backend.slice("searxng:".length) : "");
  const errorId = useId();
  useEffect(() => {
    void loadBundledCorpusInfo();
  }, []);
  const choose = (next: BackendKind, url = searxUrl) => {
    setKind(next);
    if (next !== "searxng") setSearchBackend(next);
    else if (url.trim() !== "") setSearchBackend(`searxng:${url.trim()}`);
    else clearSearchBackendError();
  };
  const fileName = BUNDLED_CORPUS_FILE.split("/").pop();
  return (
    <section className="panel search-panel" aria-labelledby="search-title">
      <h2 id="search-title">Search</h2>
      <h3>Corpus of the local index</h3>
      <p data-testid="bundled-corpus" data-status={corpus.status}>
        {corpus.status === "loading" ? `Counting the documents of ${fileName}…` : null}
        {corpus.status === "ready" ? (
          <>
            The bundled corpus <code>{fileName}</code> holds <strong>{corpus.documents}</strong> documents about the fictional world the built-in questions ask about.
          </>
        ) : null}
      </p>
      {corpus.status === "error" ? (
        <p className="warning" role="alert">
          {corpus.message}
        </p>
      ) : null}
      <p className="muted">Documents you add join the local index in the trainer for this session, next to the bundled ones.</p>
      <CorpusUpload />
      <fieldset className="backend-choice">
        <legend>Search backend for training</legend>
        <label>
          <input type="radio" name="search-backend" value="local" checked={kind === "local"} onChange={() => choose("local")} /> Local index (bundled corpus and
          your uploads; offline)
        </label>
        <label>
          <input type="radio" name="search-backend" value="wikipedia" checked={kind === "wikipedia"} onChange={() => choose("wikipedia")} /> Wikipedia (online)
        </label>
        <label>
          <input type="radio" name="search-backend" value="searxng" checked={kind === "searxng"} onChange={() => choose("searxng")} /> A SearXNG server (online)
        </label>
        <label className="searx-url">
          <span>SearXNG base URL</span>
          <input
            type="url"
            name="searxng-url"
            placeholder="http://127.0.0.1:8888"
            value={searxUrl}
            disabled={kind !== "searxng"}
            aria-invalid={kind === "searxng" && error !== undefined}
            aria-describedby={kind === "searxng" && error ? errorId : undefined}
            onChange={(e) => {
              setSearxUrl(e.currentTarget.value);
              choose("searxng", e.currentTarget.value);
            }}
          />
        </label>
      </fieldset>
      {kind === "searxng" && searxUrl.trim() === "" ? <p className="muted">Enter the SearXNG server's base URL to search with it.</p> : null}
      {error ? (
        <p className="warning" role="alert" id={errorId}>
          {error}. Training keeps searching with <code>{backend}</code>.
        </p>
      ) : null}
      <p data-testid="search-backend">
        Training searches with <code>{backend}</code>.
      </p>
    </section>
  );
}
