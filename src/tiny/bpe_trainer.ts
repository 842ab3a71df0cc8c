// A small byte-level BPE trainer for the bundled tiny model's tokenizer: splits
// text the way Qwen2's tokenizer.json does (its Split regex, then GPT-2's
// byte-to-character map), then merges the most frequent adjacent pair of
// symbols, again and again, until it has as many merges as asked for.
// Deterministic: ties go to the pair whose "left right" text sorts first.
// Added tokens (chat controls, format tags) are cut out of the text first and
// never take part in merges, as the tokenizer matches them whole.
import { byteLevelAlphabet } from "../tokenizer/byte_level";

/** Qwen2's pre-tokenizer regex (tokenizer.json's Split pattern), as a JavaScript regex. */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The same pattern in JavaScript syntax (no inline (?i:…) group; the contractions spelt out in both cases). */
const SPLIT_JS = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** GPT-2's byte-level alphabet (entry b is the character of byte b). */
export const byteAlphabet = byteLevelAlphabet;

/** Text → the pieces the pre-tokenizer makes (NFC first, added tokens removed), each spelt in byte characters. */
export function preTokenize(text: string, addedTokens: readonly string[], alphabet = byteAlphabet()): string[] {
  let parts = [text.normalize("NFC")];
  for (const token of addedTokens) parts = parts.flatMap((p) => p.split(token));
  const encoder = new TextEncoder();
  const out: string[] = [];
  for (const part of parts) {
    for (const m of part.matchAll(SPLIT_JS)) {
      out.push(Array.from(encoder.encode(m[0]), (b) => alphabet[b]).join(""));
    }
  }
  return out;
}

/** One merge: the left and right symbols (byte-level spelling). */
export type Merge = [string, string];

/**
 * Learns up to `maxMerges` merges from `texts` (each with a weight, e.g. how often it occurs).
 * Stops early when no pair occurs twice. Returns merges in the order they apply.
 */
export function learnMerges(texts: readonly { text: string; weight: number }[], maxMerges: number, addedTokens: readonly string[]): Merge[] {
  const counts = new Map<string, number>();
  const alphabet = byteAlphabet();
  for (const { text, weight } of texts) {
    for (const piece of preTokenize(text, addedTokens, alphabet)) counts.set(piece, (counts.get(piece) ?? 0) + weight);
  }
  const words = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([w, n]) => ({ symbols: Array.from(w), n }));
  const merges: Merge[] = [];
  while (merges.length < maxMerges) {
    const pairs = new Map<string, number>();
    for (const w of words) {
      for (let i = 0; i + 1 < w.symbols.length; i++) {
        const key = `${w.symbols[i]} ${w.symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + w.n);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && best !== undefined && key < best)) [best, bestCount] = [key, n];
    }
    if (best === undefined) break;
    const cut = best.indexOf(" ", 1);
    const left = best.slice(0, cut);
    const right = best.slice(cut + 1);
    merges.push([left, right]);
    const joined = left + right;
    for (const w of words) {
      const s = w.symbols;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === left && s[i + 1] === right) s.splice(i, 2, joined);
      }
    }
  }
  return merges;
}
