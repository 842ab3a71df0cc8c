// A shared trace (#/t/<payload>): decodes the permalink and shows the trace without loading a model
// or needing WebGPU; a damaged, oversized or newer-version link gets an error panel, never a crash.
import { useEffect, useState } from "react";
import type { Trace } from "../../protocol/trace";
import { PermalinkError, decodePermalink } from "../../traces/permalink";
import { hrefFor } from "../route";
import { TraceView } from "./TraceView";
import "../playground/playground.css";
import "./traces.css";

type Outcome = { ok: true; trace: Trace } | { ok: false; kind: string; message: string };

/** What went wrong, for a person who was sent the link (the exact reason is folded under it). */
const WHY: Record<string, string> = {
  empty: "The link ends where the trace should begin: it was probably cut short when it was copied.",
  "not-base64url": "The link is damaged: it was probably cut short or changed on its way (some chat apps shorten or re-wrap long links).",
  "not-deflate-raw": "The link is damaged: it was probably cut short or changed on its way (some chat apps shorten or re-wrap long links).",
  "not-json": "The link is damaged: what it holds is not readable as a trace.",
  "not-trace": "The link holds data, but not a trace TAPO Studio can show: it may come from another program, or have been edited.",
  "too-large": "This trace is too large to travel in a link.",
  "newer-version": "The link was made by a newer TAPO Studio than this one, which cannot read it.",
  unexpected: "This browser could not open the link. Try a current Chrome, Edge, Firefox or Safari.",
};

async function open(payload: string): Promise<Outcome> {
  try {
    return { ok: true, trace: await decodePermalink(payload) };
  } catch (error) {
    if (error instanceof PermalinkError) return { ok: false, kind: error.kind, message: error.message };
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: "unexpected", message: `This browser could not open the permalink (${why}). Try a current Chrome, Edge, Firefox or Safari.` };
  }
}

export function PermalinkPage({ payload }: { payload: string }) {
  const [result, setResult] = useState<{ payload: string; outcome: Outcome } | undefined>();
  useEffect(() => {
    let live = true;
    void open(payload).then((outcome) => {
      if (live) setResult({ payload, outcome });
    });
    return () => {
      live = false;
    };
  }, [payload]);

  const outcome = result?.payload === payload ? result.outcome : undefined;
  if (outcome === undefined) {
    return (
      <section className="panel" aria-labelledby="page-title" aria-busy="true">
        <h2 id="page-title">Shared trace</h2>
        <p className="muted">Opening the permalink…</p>
      </section>
    );
  }
  if (!outcome.ok) {
    return (
      <section className="panel permalink-error" role="alert" aria-labelledby="page-title" data-kind={outcome.kind} data-testid="permalink-error">
        <h2 id="page-title">This permalink cannot be opened</h2>
        <p data-testid="permalink-why">{WHY[outcome.kind] ?? WHY.unexpected}</p>
        <p>
          {outcome.kind === "newer-version"
            ? "Open it in an up-to-date TAPO Studio, or ask whoever shared it for the run's traces.jsonl."
            : outcome.kind === "too-large"
              ? "Ask whoever shared it for the run's traces.jsonl instead, and open it on the "
              : "Ask whoever shared it to copy the permalink again (the Copy permalink button gives the whole link), or to send the run's traces.jsonl, which opens on the "}
          {outcome.kind === "newer-version" ? null : (
            <>
              <a href={hrefFor("traces")}>Traces page</a>.
            </>
          )}
        </p>
        <details className="permalink-detail">
          <summary>Technical detail</summary>
          <p>{outcome.message}</p>
        </details>
      </section>
    );
  }
  return (
    <section className="panel permalink-page" aria-labelledby="page-title">
      <h2 id="page-title">Shared trace</h2>
      <p className="muted">Opened from a permalink: everything below was in the link; no model was loaded.</p>
      <TraceView trace={outcome.trace} />
    </section>
  );
}
