// The Traces page (#/traces): a run's rollouts, filterable, in a virtualised list; the selected one in
// full with "Copy permalink". Runs arrive from training (addTraces) or from an opened traces.jsonl.
import { useId, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { filterTraceIndices } from "../../traces/filter";
import { hrefFor } from "../route";
import { CopyPermalink } from "./CopyPermalink";
import { OpenTracesFile } from "./OpenTracesFile";
import { TraceFilters } from "./TraceFilters";
import { TraceList } from "./TraceList";
import { TraceView } from "./TraceView";
import { type TracesState, activeRunOf, activeTracesOf, selectRun, selectTrace, useTracesStore } from "./tracesStore";
import "../playground/playground.css";
import "./traces.css";

const selectView = (s: TracesState) => ({
  runOrder: s.runOrder,
  run: activeRunOf(s),
  traces: activeTracesOf(s),
  selectedIndex: s.selectedIndex,
  filter: s.filter,
});

function RunPicker({ runOrder, run }: { runOrder: string[]; run?: string }) {
  const id = useId();
  if (runOrder.length === 0) return null;
  return (
    <div className="run-picker">
      <label htmlFor={id}>Run</label>
      <select id={id} value={run} onChange={(e) => selectRun(e.currentTarget.value)}>
        {runOrder.map((runId) => (
          <option key={runId} value={runId}>
            {runId}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TracesPage() {
  const { runOrder, run, traces, selectedIndex, filter } = useTracesStore(useShallow(selectView));
  const indices = useMemo(() => filterTraceIndices(traces, filter), [traces, filter]);
  const selected = selectedIndex !== undefined ? traces[selectedIndex] : undefined;
  return (
    <div className="traces-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Traces</h2>
        <div className="traces-sources">
          <RunPicker runOrder={runOrder} run={run} />
          <OpenTracesFile />
        </div>
        {runOrder.length === 0 ? (
          <p className="muted">
            No traces yet. Start a run on the <a href={hrefFor("train")}>Train page</a> and its rollouts appear here as each step finishes, or open
            a traces.jsonl that <code>tapo train --out</code> wrote.
          </p>
        ) : (
          <TraceFilters filter={filter} shown={indices.length} total={traces.length} />
        )}
      </section>
      {runOrder.length > 0 ? (
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
