// The Traces page's filter controls: outcome, used search, used code, step (one or a range) and text.
// Labelled native controls, so they work from the keyboard and with screen readers.
import { type ReactNode, useId } from "react";
import { type TraceFilter, type Tristate, parseStepRange } from "../../traces/filter";
import { setTraceFilter } from "./tracesStore";

/** A label above its control, tied by id (so the control's name is the label alone, not the options' text). */
function Field({ label, className, children }: { label: string; className?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function TristateSelect({ label, value, onChange }: { label: string; value: Tristate; onChange: (v: Tristate) => void }) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Tristate)}>
          <option value="any">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      )}
    </Field>
  );
}

export function TraceFilters({ filter, shown, total }: { filter: TraceFilter; shown: number; total: number }) {
  const stepHelp = useId();
  const step = parseStepRange(filter.step);
  return (
    <form className="trace-filters" aria-label="Filter traces" role="search" onSubmit={(e) => e.preventDefault()}>
      <Field label="Outcome">
        {(id) => (
          <select id={id} value={filter.outcome} onChange={(e) => setTraceFilter({ outcome: e.currentTarget.value as TraceFilter["outcome"] })}>
            <option value="all">all</option>
            <option value="correct">correct</option>
            <option value="incorrect">incorrect</option>
            <option value="unscored">not scored</option>
          </select>
        )}
      </Field>
      <TristateSelect label="Used search" value={filter.usedSearch} onChange={(usedSearch) => setTraceFilter({ usedSearch })} />
      <TristateSelect label="Used code" value={filter.usedCode} onChange={(usedCode) => setTraceFilter({ usedCode })} />
      <Field label="Step">
        {(id) => (
          <input
            id={id}
            type="text"
            inputMode="numeric"
            size={7}
            placeholder="3 or 2-5"
            value={filter.step}
            aria-invalid={!step.ok}
            aria-describedby={stepHelp}
            onChange={(e) => setTraceFilter({ step: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label="Find text" className="trace-query">
        {(id) => (
          <input
            id={id}
            type="search"
            value={filter.query}
            placeholder="in question, answer or tool output"
            onChange={(e) => setTraceFilter({ query: e.currentTarget.value })}
          />
        )}
      </Field>
      <p id={stepHelp} className={step.ok ? "visually-hidden" : "warning"} role={step.ok ? undefined : "alert"}>
        {step.ok ? "A step (3), a range (2-5), from a step on (4-) or up to one (-5)." : `Step filter ignored: ${step.message}.`}
      </p>
      <p className="trace-count muted" role="status" data-testid="trace-count">
        {shown === total ? `${total} trace${total === 1 ? "" : "s"}` : `${shown} of ${total} traces`}
      </p>
    </form>
  );
}
