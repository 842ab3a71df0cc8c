// Compares a kernel's output with its float64 reference, llm.c style: element i
// passes when |got - want| <= atol + rtol * |want|. NaN never passes, so a
// poisoned (NaN-filled) output buffer that a kernel forgot to write fails.

export type Tolerance = { atol: number; rtol: number };

export type Mismatch = { index: number; got: number; want: number };

/** The elements that fail the tolerance (up to `limit` of them) and the worst error. */
export function findMismatches(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: Tolerance,
  limit = 5,
): { mismatches: Mismatch[]; count: number; maxAbsError: number } {
  if (got.length !== want.length) throw new Error(`compare: lengths differ (got ${got.length}, want ${want.length})`);
  const mismatches: Mismatch[] = [];
  let count = 0;
  let maxAbsError = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    const err = Math.abs(g - w);
    if (!(err <= tol.atol + tol.rtol * Math.abs(w))) {
      count += 1;
      if (mismatches.length < limit) mismatches.push({ index: i, got: g, want: w });
    }
    if (Number.isNaN(err)) maxAbsError = Number.NaN;
    else if (err > maxAbsError) maxAbsError = err;
  }
  return { mismatches, count, maxAbsError };
}

/** Throws with the first mismatches and the seed when `got` is not close to `want`. */
export function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: Tolerance,
  context: string,
): void {
  const { mismatches, count, maxAbsError } = findMismatches(got, want, tol);
  if (count === 0) return;
  const first = mismatches.map((m) => `[${m.index}] got ${m.got} want ${m.want}`).join("; ");
  throw new Error(`${context}: ${count}/${got.length} elements off (max abs error ${maxAbsError}); first: ${first}`);
}
