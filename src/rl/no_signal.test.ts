// Checks the run's no-signal warning (Node, no GPU): it appears after NO_SIGNAL_STEPS steps in a row without a kept
// group and says what to try; `tapo train`'s notifier says it once a streak, again only after a learning step.
import { describe, expect, it } from "vitest";
import { stepMetrics } from "../ui/train/testing";
import { noSignalNotifier, noSignalWarning } from "./no_signal";

const at = (step: number, kept: number, acc: number) => ({ ...stepMetrics(step), kept_groups: kept, acc });

describe("noSignalWarning", () => {
  it("warns once dynamic sampling kept no group for several steps in a row, and says what to try", () => {
    expect(noSignalWarning([])).toBeUndefined();
    expect(noSignalWarning([at(1, 0, 0), at(2, 0, 0)])).toBeUndefined();
    const warning = noSignalWarning([at(1, 0.5, 0.2), at(2, 0, 0), at(3, 0, 0), at(4, 0, 0)]);
    expect(warning).toMatch(/kept no group in the last 3 steps.*all wrong.*higher temperature.*larger group size.*easier tasks.*tapo sft/);
    expect(noSignalWarning([at(1, 0, 1), at(2, 0, 0), at(3, 0, 1)])).toMatch(/all right or all wrong/);
    // One kept group among the last steps: the run is learning.
    expect(noSignalWarning([at(1, 0, 0), at(2, 0.125, 0.1), at(3, 0, 0), at(4, 0, 0)])).toBeUndefined();
  });
});

describe("noSignalNotifier", () => {
  it("says the warning once when a streak reaches 3 steps, and again after a step that kept a group", () => {
    const notify = noSignalNotifier();
    const said = [at(1, 0, 0), at(2, 0, 0), at(3, 0, 0), at(4, 0, 0), at(5, 0.5, 0.3), at(6, 0, 0), at(7, 0, 0), at(8, 0, 0), at(9, 0, 0)].map((m) => notify(m) !== undefined);
    expect(said).toEqual([false, false, true, false, false, false, false, true, false]);
  });
});
