// Progress of a long engine command (tasks generated or evaluated out of a
// total), as `{"event":"progress", phase, step, done, total, per_second,
// seconds_left}` records: at most one a second per phase, and always the last
// one of a phase, so `tapo train` and `tapo eval` say what they are doing
// instead of printing nothing for minutes. The rate is over the phase so far.
import type { Emit } from "../../protocol/emit";

export type ProgressRecord = {
  event: "progress";
  phase: string;
  step: number;
  done: number;
  total: number;
  /** Units (rollouts, evaluations) a second since the phase began. */
  per_second: number;
  /** At that rate; null until the first unit is done. */
  seconds_left: number | null;
};

/** A reporter that turns (phase, step, done, total) updates into throttled progress records. */
export function progressReporter(emit: Emit, now: () => number = () => performance.now(), everyMs = 1000): (phase: string, step: number, done: number, total: number) => void {
  let current: { key: string; started: number; lastEmit: number; done: number } | undefined;
  return (phase, step, done, total) => {
    const key = `${phase}/${step}`;
    const t = now();
    // A new phase, or the same phase counting again from fewer (a step's greedy, then sampled evaluation).
    if (current?.key !== key || done < current.done) current = { key, started: t, lastEmit: -Infinity, done };
    current.done = done;
    const last = done >= total;
    if (!last && t - current.lastEmit < everyMs) return;
    current.lastEmit = t;
    const seconds = (t - current.started) / 1000;
    const perSecond = seconds > 0 ? done / seconds : 0;
    const record: ProgressRecord = {
      event: "progress",
      phase,
      step,
      done,
      total,
      per_second: Math.round(perSecond * 100) / 100,
      seconds_left: done > 0 && perSecond > 0 ? Math.round((total - done) / perSecond) : null,
    };
    emit(record);
  };
}
