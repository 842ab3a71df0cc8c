// "Copy permalink" for one trace: encodes it, writes the link to the clipboard, and always shows the
// link in a read-only field too, so it can be copied by hand where the browser refuses the clipboard.
import { useState } from "react";
import type { Trace } from "../../protocol/trace";
import { permalinkUrl } from "../../traces/permalink";

type CopyState = { status: "idle" } | { status: "working" } | { status: "copied" | "refused"; url: string } | { status: "error"; message: string };

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyPermalink({ trace }: { trace: Trace }) {
  const [state, setState] = useState<CopyState>({ status: "idle" });
  const copy = async () => {
    setState({ status: "working" });
    let url: string;
    try {
      url = await permalinkUrl(window.location.href, trace);
    } catch (error) {
      setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      return;
    }
    setState({ status: (await writeClipboard(url)) ? "copied" : "refused", url });
  };
  return (
    <div className="copy-permalink">
      <button type="button" onClick={() => void copy()} disabled={state.status === "working"}>
        Copy permalink
      </button>
      {state.status === "copied" || state.status === "refused" ? (
        <>
          <p role="status" className="muted" data-testid="permalink-status">
            {state.status === "copied"
              ? "Permalink copied to the clipboard. Anyone who opens it sees this trace, no model needed."
              : "The browser did not allow copying to the clipboard: select the link below and copy it yourself."}
          </p>
          <label className="permalink-field">
            Permalink
            <input
              type="text"
              readOnly
              value={state.url}
              autoFocus={state.status === "refused"}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="permalink-url"
            />
          </label>
        </>
      ) : null}
      {state.status === "error" ? (
        <p role="alert" className="warning">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
