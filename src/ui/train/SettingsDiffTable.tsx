// How the overlaid runs' settings differ: one row a setting whose value is not
// the same in every run, one column a run (the shown run first); the shown
// run's own settings are read from the worker when a comparison starts.
import { useEffect, useState } from "react";
import type { RunSummary, TrainRequest } from "../../protocol/run";
import { trainer } from "../trainerWorker";
import { type ComparedRun, runLabel } from "./chartViewStore";
import { settingsDiff } from "./settingsDiff";

type Props = { shownRunId: string | undefined; savedRuns: readonly RunSummary[]; compared: Record<string, ComparedRun> };

/** The shown run's request, read when `wanted`; undefined until it arrives (or when it cannot be read). */
function useShownRequest(runId: string | undefined, wanted: boolean): TrainRequest | undefined {
  const [read, setRead] = useState<{ runId: string; request: TrainRequest } | undefined>(undefined);
  useEffect(() => {
    const remote = trainer();
    if (!wanted || runId === undefined || !remote || read?.runId === runId) return;
    let live = true;
    remote.runRequest(runId).then(
      (request) => {
        if (live) setRead({ runId, request });
      },
      () => undefined, // a run not saved yet (starting): the table shows the compared runs alone
    );
    return () => {
      live = false;
    };
  }, [runId, wanted, read]);
  return read !== undefined && read.runId === runId ? read.request : undefined;
}

export function SettingsDiffTable({ shownRunId, savedRuns, compared }: Props) {
  const loaded = Object.values(compared).filter((c) => c.request !== undefined && c.summary.runId !== shownRunId);
  const shownRequest = useShownRequest(shownRunId, loaded.length > 0);
  if (loaded.length === 0) return null;
  const shown = savedRuns.find((r) => r.runId === shownRunId);
  const runs = [
    ...(shown && shownRequest ? [{ label: runLabel(shown), model: shown.model, request: shownRequest }] : []),
    ...loaded.map((c) => ({ label: runLabel(c.summary), model: c.summary.model, request: c.request! })),
  ];
  const rows = settingsDiff(runs);
  return (
    <div className="settings-diff">
      <h3 id="settings-diff-title">How the runs' settings differ</h3>
      {rows.length === 0 ? (
        <p className="muted">These runs have the same settings: only sampling makes them differ.</p>
      ) : (
        <table aria-labelledby="settings-diff-title" data-testid="settings-diff">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {runs.map((r) => (
                <th scope="col" key={r.label}>
                  {r.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.setting}>
                <th scope="row">{row.setting}</th>
                {row.values.map((v, i) => (
                  <td key={i}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
