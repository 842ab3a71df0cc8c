// Renders a rollout's text as segments (think, search, response, code, answer,
// plain text), each kind styled apart; tool responses collapse. Text is always
// rendered as text, never as HTML.
import type { Segment } from "../../protocol/trace";

const LABEL: Record<Segment["kind"], string> = {
  think: "think",
  search: "search",
  code: "code",
  response: "response",
  answer: "answer",
  text: "text",
};

/** `openResponses`: every tool response starts open (the Playground); else only the last one does. */
export function Segments({ segments, openResponses = false }: { segments: Segment[]; openResponses?: boolean }) {
  return (
    <ol className="segments" aria-label="answer segments">
      {segments.map((seg, i) => (
        <li key={i} className={`seg seg-${seg.kind}`} data-kind={seg.kind}>
          {seg.kind === "response" ? (
            <details open={openResponses || i === segments.length - 1}>
              <summary>
                {seg.tool === "none" ? "corrective message (inserted by the runtime)" : `${seg.tool} result`}
                {seg.ms !== undefined ? ` · ${Math.round(seg.ms)} ms` : ""}
                {seg.error ? ` · ${seg.error}` : ""}
              </summary>
              <pre>{seg.text}</pre>
            </details>
          ) : (
            <>
              <span className="seg-label">{LABEL[seg.kind]}</span>
              {seg.kind === "code" ? <pre>{seg.text}</pre> : <p>{seg.text}</p>}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
