// The run's own warning that it learns nothing: dynamic sampling kept no group
// for several steps in a row. The Train page shows it above the charts, and
// `tapo train` writes it as a note record once each time such a streak begins.
import type { StepMetrics } from "../protocol/run";

/** Steps in a row without a kept group after which the run says it is learning nothing. */
export const NO_SIGNAL_STEPS = 3;

/**
 * A warning when dynamic sampling kept no group in the last NO_SIGNAL_STEPS steps: every group's rollouts
 * scored alike (all right or all wrong), so no rollout has an advantage (only a regulariser such as LLDS
 * still moves the adapter).
 */
export function noSignalWarning(metrics: readonly StepMetrics[]): string | undefined {
  const last = metrics.slice(-NO_SIGNAL_STEPS);
  if (last.length < NO_SIGNAL_STEPS || last.some((m) => m.kept_groups > 0)) return undefined;
  const allWrong = last.every((m) => m.acc === 0);
  return (
    `Nothing is being learned: dynamic sampling kept no group in the last ${NO_SIGNAL_STEPS} steps, because every group's rollouts ` +
    `scored alike (${allWrong ? "all wrong" : "all right or all wrong"}), which leaves the policy gradient no advantage to learn from. ` +
    "Try a higher temperature or a larger group size G (more varied rollouts), easier tasks, or a cold start: `tapo sft` on demonstration traces, then train from that adapter."
  );
}

/**
 * For a stream of steps (`tapo train`): the warning once as a streak without kept groups reaches
 * NO_SIGNAL_STEPS, and again only after a step kept a group and a new streak began.
 */
export function noSignalNotifier(): (metrics: StepMetrics) => string | undefined {
  const recent: StepMetrics[] = [];
  let warned = false;
  return (metrics) => {
    recent.push(metrics);
    if (recent.length > NO_SIGNAL_STEPS) recent.shift();
    const warning = noSignalWarning(recent);
    if (warning === undefined) {
      if (metrics.kept_groups > 0) warned = false;
      return undefined;
    }
    if (warned) return undefined;
    warned = true;
    return warning;
  };
}
