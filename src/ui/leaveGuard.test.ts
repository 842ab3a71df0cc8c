// Checks when leaving the tab asks first: while a run starts, runs or is paused, while a model downloads or loads,
// and not once these end; and that the question stops when the guard is removed. The real browser's dialog is
// checked in e2e/train.spec.ts. Pure, no GPU.
import { beforeEach, describe, expect, it } from "vitest";
import { installLeaveGuard, workInProgress } from "./leaveGuard";
import { resetModelStore, useModelStore } from "./model/modelStore";
import { applyTrainerEvent, resetAppStore, setModelLoading } from "./store";
import { applyRunEvents, markStarting, resetTrainStore, settleRun } from "./train/trainStore";

/** A beforeunload event as a page receives it (Node's Event has no settable returnValue). */
class UnloadEvent extends Event {
  override returnValue = true;
  constructor() {
    super("beforeunload", { cancelable: true });
  }
}

/** Whether leaving now would be questioned by the listeners on `target`. */
function asks(target: EventTarget): boolean {
  const event = new UnloadEvent();
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

describe("leave guard", () => {
  beforeEach(() => {
    resetTrainStore();
    resetModelStore();
    resetAppStore();
  });

  it("asks while a run is under way, and not before or after", () => {
    const target = new EventTarget();
    const stop = installLeaveGuard(target);
    expect(asks(target)).toBe(false);
    markStarting();
    expect(workInProgress()).toBe("a training run");
    expect(asks(target)).toBe(true);
    applyRunEvents([{ type: "status", status: "running" }]);
    expect(asks(target)).toBe(true);
    applyRunEvents([{ type: "status", status: "paused" }]);
    expect(asks(target)).toBe(true);
    applyRunEvents([{ type: "status", status: "finished" }]);
    settleRun(undefined);
    expect(asks(target)).toBe(false);
    markStarting();
    stop();
    expect(asks(target)).toBe(false);
  });

  it("asks while a model downloads or loads", () => {
    const target = new EventTarget();
    const stop = installLeaveGuard(target);
    useModelStore.setState({ download: { status: "running", id: "Qwen/Qwen2.5-0.5B-Instruct", progress: { bytesDone: 1, bytesTotal: 2, file: "model.safetensors", rateBytesPerSec: 1, secondsLeft: 1 } } });
    expect(workInProgress()).toBe("a model download");
    expect(asks(target)).toBe(true);
    useModelStore.setState({ download: { status: "done", id: "Qwen/Qwen2.5-0.5B-Instruct" } });
    expect(asks(target)).toBe(false);
    setModelLoading("tiny");
    expect(asks(target)).toBe(true);
    applyTrainerEvent({ type: "load-failed", message: "the file is truncated" });
    expect(asks(target)).toBe(false);
    stop();
  });
});
