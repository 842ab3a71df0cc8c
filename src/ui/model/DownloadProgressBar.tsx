// The running download: a progress bar with bytes, rate and time left, the file being copied, and Cancel;
// afterwards, how it ended (done, cancelled, or the error).
import { formatBytes } from "../../util/format_bytes";
import { formatDuration } from "../../sources/progress";
import { cancelDownload, type ModelPageState, useModelStore } from "./modelStore";
import "./model.css";

const selectDownload = (s: ModelPageState) => s.download;

export function DownloadProgressBar() {
  const download = useModelStore(selectDownload);
  if (download.status === "idle") return null;
  return (
    <section className="panel download" aria-labelledby="download-title" data-status={download.status}>
      <h2 id="download-title">Download: {download.id}</h2>
      {download.status === "running" ? (
        <>
          <progress
            aria-label={`downloading ${download.id}`}
            value={download.progress.bytesDone}
            max={Math.max(1, download.progress.bytesTotal)}
          />
          <p data-testid="download-figures" aria-live="polite">
            {formatBytes(download.progress.bytesDone)} of {formatBytes(download.progress.bytesTotal)} ·{" "}
            {formatBytes(download.progress.rateBytesPerSec)}/s ·{" "}
            {download.progress.secondsLeft === null ? "time left unknown" : `${formatDuration(download.progress.secondsLeft)} left`}
            {download.progress.file ? ` · ${download.progress.file}` : ""}
          </p>
          <button type="button" onClick={cancelDownload}>
            Cancel
          </button>
        </>
      ) : null}
      {download.status === "done" ? <p role="status">Downloaded and cached; it works offline from now on.</p> : null}
      {download.status === "cancelled" ? (
        <p role="status">Cancelled. What arrived stays in the cache, marked incomplete: download again to resume, or delete it.</p>
      ) : null}
      {download.status === "error" ? (
        <p className="warning" role="alert">
          {download.message}
        </p>
      ) : null}
    </section>
  );
}
