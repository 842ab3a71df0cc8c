// The Traces page (#/traces): every run saved in this browser (listed again each time the page opens, read only
// when picked), the run this tab trains (its traces arrive live) and opened traces.jsonl files; the shown run's
// rollouts filterable in a virtualised list, the selected one in full with "Copy permalink".
import { useEffect, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { filterTraceIndices } from "../../traces/filter";
import { isActive } from "../train/runState";
import { type TrainState, useTrainStore } from "../train/trainStore";
import { CopyPermalink } from "./CopyPermalink";
import { OpenTracesFile } from "./OpenTracesFile";
import { RunNotes } from "./RunNotes";
import { RunPicker } from "./RunPicker";
import { runChoices } from "./runChoices";
import { refreshSavedRuns } from "./savedRunTraces";
import { TraceFilters } from "./TraceFilters";
import { TraceList } from "./TraceList";
import { TraceView } from "./TraceView";
import { type TracesState, activeRunOf, activeTracesOf, selectTrace, useTracesStore } from "./tracesStore";
import "../playground/playground.css";
import "./traces.css";

const selectView = (s: TracesState) => ({
  runs: s.runs,
  runOrder: s.runOrder,
  saved: s.saved,
  reads: s.reads,
  readAt: s.readAt,
  run: activeRunOf(s),
  traces: activeTracesOf(s),
  selectedIndex: s.selectedIndex,
  filter: s.filter,
});
/** This tab's run while it is under way. */
const selectLiveRun = (s: TrainState) => (isActive(s.run.status) ? s.run.runId : undefined);
const selectTrainStatus = (s: TrainState) => s.run.status;

export function TracesPage() {
  const { runs, runOrder, saved, reads, readAt, run, traces, selectedIndex, filter } = useTracesStore(useShallow(selectView));
  const liveRunId = useTrainStore(selectLiveRun);
  const trainStatus = useTrainStore(selectTrainStatus);
  // The saved runs are listed again when the page opens, and when this tab's run starts, pauses or ends.
  useEffect(() => {
    void refreshSavedRuns(liveRunId);
  }, [trainStatus, liveRunId]);
  const choices = useMemo(() => runChoices(saved.runs, runOrder, runs, liveRunId), [saved.runs, runOrder, runs, liveRunId]);
  const indices = useMemo(() => filterTraceIndices(traces, filter), [traces, filter]);
  const selected = selectedIndex !== undefined ? traces[selectedIndex] : undefined;
  const here = run !== undefined && runs[run] !== undefined;
  const showTraces = here && traces.length > 0;
  return (
    <div className="traces-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Traces</h2>
        <div className="traces-sources">
          <RunPicker saved={choices.saved} other={choices.other} value={run} />
          <OpenTracesFile />
        </div>
        <RunNotes
          saved={saved}
          anyRun={choices.saved.length + choices.other.length > 0}
          run={run}
          summary={saved.runs.find((r) => r.runId === run)}
          read={run !== undefined ? reads[run] : undefined}
          traceCount={here ? traces.length : undefined}
          readAtStep={run !== undefined ? readAt[run] : undefined}
        />
        {showTraces ? <TraceFilters filter={filter} shown={indices.length} total={traces.length} /> : null}
      </section>
      {showTraces ? (
        <div className="traces-browser">
          <section className="panel traces-list-panel" aria-label="Trace list">
            {indices.length > 0 ? (
              <TraceList traces={traces} indices={indices} selected={selectedIndex} onSelect={selectTrace} />
            ) : (
              <p className="muted">No trace of this run passes the filters.</p>
            )}
          </section>
          <section className="panel trace-detail" aria-label="Selected trace">
            {selected ? (
              <TraceView key={`${run}:${selectedIndex}`} trace={selected} actions={<CopyPermalink trace={selected} />} />
            ) : (
              <p className="muted">Pick a trace from the list (click it, or focus the list and use the arrow keys) to read it here.</p>
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}
