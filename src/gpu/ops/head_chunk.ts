// The output head's vocabulary chunk rule, pure so the memory planner (no device)
// and the head's launcher (src/gpu/ops/head.ts) use the same figure.

/** Default vocabulary rows per chunk. */
export const HEAD_DEFAULT_CHUNK = 8192;
/** Largest logits scratch (M, chunk) f32 the head allocates: 64 MiB. */
export const HEAD_MAX_LOGITS_BYTES = 64 * 1024 * 1024;

/**
 * The chunk for M rows and vocabulary V: `requested` (default 8192), capped at V and so
 * that the (M, chunk) f32 scratch stays within 64 MiB and within `maxBinding` bytes
 * (a capped value is rounded down to a multiple of 64).
 */
export function headChunkRows(M: number, V: number, maxBinding: number, requested = HEAD_DEFAULT_CHUNK): number {
  const bytesCap = Math.min(HEAD_MAX_LOGITS_BYTES, maxBinding);
  const cap = Math.floor(bytesCap / (4 * M));
  if (cap < 1) throw new Error(`head: ${M} rows do not fit one logit column in ${bytesCap} bytes; split the batch`);
  let chunk = Math.min(requested, V);
  if (chunk > cap) chunk = cap >= 64 ? cap - (cap % 64) : cap;
  return Math.max(1, chunk);
}
