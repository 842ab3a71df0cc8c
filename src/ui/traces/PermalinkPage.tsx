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
        <p>{outcome.message}</p>
        <p>
          You can still open a run&apos;s traces.jsonl on the <a href={hrefFor("traces")}>Traces page</a>.
        </p>
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
