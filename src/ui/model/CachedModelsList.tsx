// The models in the browser's cache with their sizes: Use (complete ones) and Delete.
import { useEffect } from "react";
import { formatBytes } from "../../util/format_bytes";
import { chooseCached, deleteCached, type ModelPageState, refreshCachedModels, useModelStore } from "./modelStore";
import "./model.css";

const selectCache = (s: ModelPageState) => s.cache;

export function CachedModelsList() {
  const cache = useModelStore(selectCache);
  useEffect(() => {
    void refreshCachedModels();
  }, []);
  return (
    <section className="panel cached-models" aria-labelledby="cached-title" data-status={cache.status}>
      <h2 id="cached-title">Cached models</h2>
      {cache.status === "loading" ? <p>Reading the cache…</p> : null}
      {cache.status === "unavailable" ? <p className="warning">The model cache is not available: {cache.message}</p> : null}
      {cache.status === "ready" && cache.models.length === 0 ? (
        <p className="muted" data-testid="cache-empty">
          No model is cached yet. Downloaded models are kept here so the next load works offline.
        </p>
      ) : null}
      {cache.status === "ready" && cache.models.length > 0 ? (
        <table className="cached-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Size</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {cache.models.map((m) => (
              <tr key={m.id} data-testid={`cached-${m.id}`}>
                <td>{m.id}</td>
                <td title={`${m.bytes} bytes`}>{formatBytes(m.bytes)}</td>
                <td>{m.complete ? "complete" : `incomplete: ${formatBytes(m.bytesStored)} of ${formatBytes(m.bytes)}`}</td>
                <td className="actions">
                  {m.complete ? (
                    <button type="button" onClick={() => void chooseCached(m.id)} aria-label={`Use ${m.id}`}>
                      Use
                    </button>
                  ) : null}
                  <button type="button" onClick={() => void deleteCached(m.id)} aria-label={`Delete ${m.id}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
