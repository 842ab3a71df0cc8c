// A rollout's raw text with each chunk marked by origin: sampled by the policy,
// or forced (tool output, corrective messages: left out of the loss). Text only, never HTML.
import type { OriginChunk } from "../rollouts/liveRollout";

export function OriginText({ chunks }: { chunks: readonly OriginChunk[] }) {
  return (
    <pre className="origin-text" aria-label="rollout text by token origin">
      {chunks.map((c, i) =>
        c.origin === "forced" ? (
          <mark key={i} className="forced" data-origin="forced" title="forced: inserted by the runtime, left out of the loss">
            {c.text}
          </mark>
        ) : (
          <span key={i} data-origin="policy">
            {c.text}
          </span>
        ),
      )}
    </pre>
  );
}
