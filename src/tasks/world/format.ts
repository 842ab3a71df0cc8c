// How the world's values are written in its documents (shared by the
// renderer and the fact list, so a fact's `valueText` is exactly what the
// document says).

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "a" or "an" before a word, by its first letter. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** "she" -> "She". */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
