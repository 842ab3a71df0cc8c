// What the Traces page's run picker offers: every run saved in this browser (name or id, model, steps done,
// status), then the other runs whose traces are here (opened files, a run not listed yet). Pure, no React.
import type { RunSummary } from "../../protocol/run";
import type { Trace } from "../../protocol/trace";

export type RunChoice = { id: string; label: string };

/** A saved run as people know it: its name if it has one, else its id. */
export function runTitle(summary: Pick<RunSummary, "runId" | "name">): string {
  return summary.name ?? summary.runId;
}

/** A saved run's status in words; `liveRunId` is the run this tab trains now. */
function statusText(summary: RunSummary, liveRunId?: string): string {
  if (summary.runId === liveRunId) return "training in this tab";
  if (summary.elsewhere) return "training in another tab";
  return summary.status;
}

/** One line for a saved run: "name or id · model · step 2 of 3 · finished". */
export function savedRunLabel(summary: RunSummary, liveRunId?: string): string {
  return `${runTitle(summary)} · ${summary.model} · step ${summary.step} of ${summary.steps} · ${statusText(summary, liveRunId)}`;
}

export function runChoices(
  saved: readonly RunSummary[],
  runOrder: readonly string[],
  runs: Record<string, readonly Trace[]>,
  liveRunId?: string,
): { saved: RunChoice[]; other: RunChoice[] } {
  const listed = new Set(saved.map((r) => r.runId));
  return {
    saved: saved.map((r) => ({ id: r.runId, label: savedRunLabel(r, liveRunId) })),
    other: runOrder
      .filter((id) => !listed.has(id))
      .map((id) => {
        const n = runs[id]?.length ?? 0;
        return { id, label: `${id} · ${n} trace${n === 1 ? "" : "s"}` };
      }),
  };
}
