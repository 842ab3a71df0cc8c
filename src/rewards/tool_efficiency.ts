// The optional tool-efficiency factor (TAPO.md §3, after OTC-GRPO): it scales a
// positive correctness reward down as a rollout's tool calls m exceed n, the
// fewest calls any correct rollout of the same group used.
//
// Formula (the OTC-GRPO shape, written from our reading of the paper, not checked
// against its code):
//   n = 0:  factor = cos(m·π / (2m + c))        1 at m = 0, → 0 as m grows
//   n > 0:  factor = sin(f·π / (2n)), f = 2nm / (m + n)
//                                               1 at m = n, sin(2π/3) ≈ 0.87 at m = 2n, → 0 as m grows
// c > 0 is the smoothing constant of the n = 0 branch (larger: slower decay).
// With n the fewest calls among correct rollouts, a correct rollout always has
// m ≥ n, where both branches fall monotonically in m. A group with no correct
// rollout gives no n, and the factor is 1. The factor multiplies only positive
// correctness rewards: scaling DAPO's −1 for a wrong answer would make it less
// negative with more tool calls, which rewards the wrong thing.

/** Default smoothing constant c of the n = 0 branch. */
export const OTC_SMOOTHING = 1;

/** The efficiency factor in [0, 1] for `calls` = m tool calls when the group's fewest correct calls is `fewest` = n. */
export function toolEfficiency(calls: number, fewest: number | undefined, smoothing = OTC_SMOOTHING): number {
  if (fewest === undefined) return 1;
  if (!(smoothing > 0)) throw new RangeError(`the tool-efficiency smoothing constant must be > 0, got ${smoothing}`);
  const m = Math.max(0, calls);
  const n = Math.max(0, fewest);
  if (n === 0) return Math.cos((m * Math.PI) / (2 * m + smoothing));
  if (m === 0) return 0;
  const f = (2 * n * m) / (m + n);
  return Math.max(0, Math.sin((f * Math.PI) / (2 * n)));
}

/** n: the fewest tool calls among the group's correct rollouts, or undefined when none is correct. */
export function fewestCorrectCalls(group: { correct: boolean; calls: number }[]): number | undefined {
  let best: number | undefined;
  for (const r of group) if (r.correct && (best === undefined || r.calls < best)) best = r.calls;
  return best;
}
