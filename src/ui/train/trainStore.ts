// The Train page's zustand store: the form's values (kept across reloads), the run (see runState.ts
// for the reducer), the saved runs, and view switches. Serialisable only;
// actions are module-level so the worker's event handler calls them without hooks.
import { create } from "zustand";
import type { RunEvent, RunHistory, RunSummary } from "../../protocol/run";
import { INITIAL_RUN, reduceRunEvents, type RunState, stateOfHistory } from "./runState";
import { forgetSavedForm, loadSavedForm, saveForm } from "./savedForm";
import { type FormValues, initialFormValues } from "./trainForm";

export type TrainState = {
  form: FormValues;
  run: RunState;
  /** Runs saved in this browser, newest first. */
  savedRuns: RunSummary[];
  /** Highlight forced tokens (left out of the loss) in the rollouts. */
  showForced: boolean;
  /** A problem starting or controlling a run (the worker said no, or is missing). */
  error?: string;
};

function initialState(): TrainState {
  return { form: loadSavedForm(initialFormValues()), run: INITIAL_RUN, savedRuns: [], showForced: false };
}

export const useTrainStore = create<TrainState>()(initialState);

/** Back to the initial state, the kept form forgotten (tests call this between cases). */
export function resetTrainStore(): void {
  forgetSavedForm();
  useTrainStore.setState(initialState(), true);
}

/** Sets one field; the form is kept for the next visit (savedForm.ts). */
export function setFormValue(key: string, value: string | boolean): void {
  useTrainStore.setState((s) => ({ form: { ...s.form, [key]: value } }));
  saveForm(useTrainStore.getState().form, initialFormValues());
}

/** Replaces the form's values (a loaded config file); kept for the next visit like any edit. */
export function setFormValues(form: FormValues): void {
  useTrainStore.setState({ form });
  saveForm(form, initialFormValues());
}

export function resetForm(): void {
  useTrainStore.setState({ form: initialFormValues() });
  forgetSavedForm();
}

export function setShowForced(showForced: boolean): void {
  useTrainStore.setState({ showForced });
}

export function setTrainError(error: string | undefined): void {
  useTrainStore.setState({ error });
}

/** Folds a batch of run events into the store in one update. */
export function applyRunEvents(events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  useTrainStore.setState((s) => ({ run: reduceRunEvents(s.run, events) }));
}

/** The run is being started (or resumed): its controls lock until the worker answers. */
export function markStarting(): void {
  useTrainStore.setState((s) => ({ error: undefined, run: { ...s.run, status: "starting", message: undefined, pending: undefined } }));
}

/** A pause or stop was asked for; it takes effect after the step in progress. */
export function markPending(pending: "pause" | "stop"): void {
  useTrainStore.setState((s) => ({ run: { ...s.run, pending } }));
}

/** The worker's train() settled: the final status, unless a status event said it already. */
export function settleRun(summary: RunSummary | undefined, error?: string): void {
  useTrainStore.setState((s) => {
    const active = s.run.status === "starting" || s.run.status === "running" || s.run.status === "paused";
    if (error !== undefined) return { run: { ...s.run, status: "failed", message: error, pending: undefined, phase: undefined } };
    if (!summary || !active) return {};
    return { run: { ...s.run, status: summary.status, pending: undefined, phase: undefined } };
  });
}

export function setSavedRuns(savedRuns: RunSummary[]): void {
  useTrainStore.setState({ savedRuns });
}

/** Shows no run (the one shown was deleted). */
export function clearShownRun(): void {
  useTrainStore.setState({ run: INITIAL_RUN });
}

/** Shows a saved run (after a reload): its charts, evaluations and last step's rollouts. */
export function showHistory(summary: RunSummary, history: RunHistory): void {
  useTrainStore.setState({ run: stateOfHistory(summary, history) });
}
