// Asks before the tab is left while leaving would lose work: a training run
// under way (the step in progress and anything since its last checkpoint), a
// model download into the cache, or a model load (a big model takes minutes
// to read and quantize again). The browser shows its own wording; the
// listener is attached only while such work runs, so an idle tab leaves
// without a question and stays eligible for the back/forward cache.
import { useModelStore } from "./model/modelStore";
import { useAppStore } from "./store";
import { isActive } from "./train/runState";
import { useTrainStore } from "./train/trainStore";

/** What leaving now would interrupt, or undefined when nothing would be lost. */
export function workInProgress(): string | undefined {
  if (isActive(useTrainStore.getState().run.status)) return "a training run";
  if (useModelStore.getState().download.status === "running") return "a model download";
  if (useAppStore.getState().model.status === "loading") return "a model load";
  return undefined;
}

function askBeforeLeaving(event: BeforeUnloadEvent): void {
  if (workInProgress() === undefined) return;
  event.preventDefault();
  event.returnValue = ""; // what older Chromium and Safari need besides preventDefault
}

/** Keeps the beforeunload question attached exactly while work is in progress; returns the function that stops it. */
export function installLeaveGuard(target: Pick<Window, "addEventListener" | "removeEventListener"> = window): () => void {
  let attached = false;
  const update = () => {
    const busy = workInProgress() !== undefined;
    if (busy === attached) return;
    attached = busy;
    if (busy) target.addEventListener("beforeunload", askBeforeLeaving);
    else target.removeEventListener("beforeunload", askBeforeLeaving);
  };
  const stops = [useTrainStore.subscribe(update), useModelStore.subscribe(update), useAppStore.subscribe(update)];
  update();
  return () => {
    for (const stop of stops) stop();
    if (attached) target.removeEventListener("beforeunload", askBeforeLeaving);
    attached = false;
  };
}
