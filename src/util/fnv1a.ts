// FNV-1a, 32 bits: a cheap fingerprint that catches a truncated or garbled file
// (checkpoint manifests) and tells two models' bytes apart (model identities).

/** The hash of no bytes: where a running hash starts. */
export const FNV1A_START = 0x811c9dc5;

/** The running hash `h` extended by `bytes` (so several pieces hash as their concatenation). */
export function fnv1aUpdate(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** A hash as 8 hex digits. */
export const fnv1aHex = (h: number): string => (h >>> 0).toString(16).padStart(8, "0");

/** FNV-1a of `bytes`, as 8 hex digits. */
export function fnv1a(bytes: Uint8Array): string {
  return fnv1aHex(fnv1aUpdate(FNV1A_START, bytes));
}
