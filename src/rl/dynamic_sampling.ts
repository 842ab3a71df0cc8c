// DAPO's dynamic sampling: a group whose responses are all right or all wrong
// has zero advantage everywhere and teaches nothing, so it is set aside; more
// groups are generated, round after round, until the batch holds the wanted
// number of prompts. At the cap on rounds the batch is padded with the groups
// set aside (as TAPO does) rather than failing the step.

/** What dynamic sampling needs to know of a group: each response's acc (reward > 0.9). */
export type GroupOutcome = { acc: readonly boolean[] };

/** True when the group's responses are not all right and not all wrong. */
export function isInformative(group: GroupOutcome): boolean {
  return group.acc.some((a) => a !== group.acc[0]);
}

export type DynamicSamplingOptions = {
  /** Groups the batch should hold. */
  targetGroups: number;
  /** Generation rounds at most (≥ 1). */
  maxRounds: number;
};

export type DynamicSamplingResult<T> = {
  /** The batch: informative groups in generation order, then the padding; at most targetGroups. */
  groups: T[];
  /** Generation rounds run. */
  rounds: number;
  /** Groups generated over all rounds. */
  generated: number;
  /** Of those, informative ones. */
  informative: number;
  /** informative / generated (0 when nothing was generated): the kept-groups ratio of the metrics. */
  keptRatio: number;
  /** Uninformative groups added at the cap to fill the batch. */
  padded: number;
  /** Groups still missing when even padding could not fill the batch (the generator returned too few). */
  missing: number;
};

/** Generates one round of groups; `needed` is how many informative groups the batch still lacks (a hint). */
export type GenerateRound<T> = (round: number, needed: number) => Promise<T[]>;

/**
 * Runs generation rounds until `targetGroups` informative groups are collected
 * or `maxRounds` rounds have run, then pads with uninformative groups (the
 * earliest first). Informative groups beyond the target are dropped, the latest first.
 */
export async function sampleDynamically<T extends GroupOutcome>(
  generateRound: GenerateRound<T>,
  options: DynamicSamplingOptions,
): Promise<DynamicSamplingResult<T>> {
  const { targetGroups, maxRounds } = options;
  if (!Number.isInteger(targetGroups) || targetGroups < 1) throw new RangeError(`dynamic sampling: targetGroups ${targetGroups} is not a whole number ≥ 1`);
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw new RangeError(`dynamic sampling: maxRounds ${maxRounds} is not a whole number ≥ 1`);
  const kept: T[] = [];
  const setAside: T[] = [];
  let generated = 0;
  let rounds = 0;
  while (kept.length < targetGroups && rounds < maxRounds) {
    rounds += 1;
    const groups = await generateRound(rounds, targetGroups - kept.length);
    generated += groups.length;
    for (const g of groups) (isInformative(g) ? kept : setAside).push(g);
  }
  const informative = kept.length;
  const batch = kept.slice(0, targetGroups);
  const padding = setAside.slice(0, targetGroups - batch.length);
  return {
    groups: [...batch, ...padding],
    rounds,
    generated,
    informative,
    keptRatio: generated === 0 ? 0 : informative / generated,
    padded: padding.length,
    missing: targetGroups - batch.length - padding.length,
  };
}
